#include "common/db/pool.hpp"

#include <string>
#include <utility>

#include <pqxx/nontransaction>

namespace streamscope::db {

pool::pool(config::database_url url, pool_options options)
    : url_(std::move(url)), options_(std::move(options)), threads_(options_.size) {}

pool::~pool() {
    threads_.join();
}

void pool::stop() {
    threads_.stop();
    threads_.join();
}

std::unique_ptr<pqxx::connection> pool::connect() const {
    auto conn = db::connect(url_, options_.connection);
    if (!options_.session_setup.empty()) {
        pqxx::nontransaction(*conn).exec(options_.session_setup);
    }
    return conn;
}

pool::queue_ticket::queue_ticket(pool& owner)
    : owner_(&owner), since_(std::chrono::steady_clock::now()) {
    const std::size_t limit = owner.options_.max_queued;
    if (++owner.queued_ > limit && limit != 0) {
        --owner.queued_;
        ++owner.refused_;
        throw pool_busy("all " + std::to_string(owner.options_.size) +
                        " connections are busy and " + std::to_string(limit) +
                        " requests wait for one");
    }
}

pool::queue_ticket::~queue_ticket() {
    if (owner_ != nullptr) {
        --owner_->queued_;
    }
}

void pool::queue_ticket::start() {
    pool& owner = *std::exchange(owner_, nullptr);
    --owner.queued_;
    const auto waited = std::chrono::steady_clock::now() - since_;
    const auto limit = owner.options_.max_queue_wait;
    if (limit.count() != 0 && waited > limit) {
        ++owner.refused_;
        throw pool_busy(
            "waited " +
            std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()) +
            " ms for a connection, longer than " + std::to_string(limit.count()) + " ms");
    }
}

pool::lease::lease(pool& owner) : owner_(owner) {
    ++owner_.busy_;
    const std::lock_guard lock{owner_.mutex_};
    if (!owner_.idle_.empty()) {
        conn_ = std::move(owner_.idle_.back());
        owner_.idle_.pop_back();
    }
}

pool::lease::~lease() {
    if (conn_ && conn_->is_open()) {
        const std::lock_guard lock{owner_.mutex_};
        owner_.idle_.push_back(std::move(conn_));
    }
    --owner_.busy_;
}

pqxx::connection& pool::lease::connection() {
    if (conn_ && !conn_->is_open()) {
        conn_.reset();
    }
    if (!conn_) {
        conn_ = owner_.connect();
    }
    return *conn_;
}

} // namespace streamscope::db

#include "common/db/pool.hpp"

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

#include "api/db/pool.hpp"

#include <pqxx/pqxx>

#include "common/db/connection.hpp"

namespace streamscope::api {

pool::pool(config::database_url url, unsigned size, std::chrono::milliseconds statement_timeout)
    : url_(std::move(url)), size_(size), statement_timeout_(statement_timeout), threads_(size) {}

pool::~pool() {
    threads_.join();
}

unsigned pool::busy() const {
    std::lock_guard lock{mutex_};
    return busy_;
}

std::unique_ptr<pqxx::connection> pool::connect() const {
    auto conn = db::connect(url_, {.application_name = "streamscope-api",
                                   .connect_timeout = std::chrono::seconds(2),
                                   .statement_timeout = statement_timeout_});
    // The API only reads: a session that cannot write turns a bug into an error, not damage.
    // No JIT: its queries run for milliseconds, and one whose estimate passes the JIT cost
    // thresholds (a ranking with a look-up per channel) spent 60 to 700 ms compiling itself.
    pqxx::nontransaction tx{*conn};
    tx.exec("SET default_transaction_read_only = on; SET jit = off");
    return conn;
}

pool::lease::lease(pool& owner) : owner_(owner) {
    std::lock_guard lock{owner_.mutex_};
    ++owner_.busy_;
    if (!owner_.idle_.empty()) {
        conn_ = std::move(owner_.idle_.back());
        owner_.idle_.pop_back();
    }
}

pool::lease::~lease() {
    std::lock_guard lock{owner_.mutex_};
    --owner_.busy_;
    if (conn_ && conn_->is_open()) {
        owner_.idle_.push_back(std::move(conn_));
    }
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

} // namespace streamscope::api

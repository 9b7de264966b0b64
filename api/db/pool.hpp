#pragma once
// The API's database connections: a fixed number, each used by one thread of the pool's own,
// so that libpq's blocking calls never run on the I/O threads. Sessions are read-only (the
// API needs no more; see README for the read-only role) and every statement has a timeout.

#include <chrono>
#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <pqxx/connection>

#include "common/config/database_url.hpp"

namespace streamscope::api {

class pool {
public:
    pool(config::database_url url, unsigned size, std::chrono::milliseconds statement_timeout);
    ~pool();
    pool(const pool&) = delete;
    pool& operator=(const pool&) = delete;

    // Runs `work(connection)` on a pool thread and resumes the caller on its own executor.
    // Database errors propagate as pqxx exceptions (broken_connection when the server is
    // unreachable: connecting gives up after 2 seconds); a broken connection is replaced on
    // its next use.
    template <typename Work>
    boost::asio::awaitable<std::invoke_result_t<Work, pqxx::connection&>> run(Work work) {
        co_return co_await boost::asio::co_spawn(
            threads_.get_executor(),
            [this, work = std::move(work)]() mutable
            -> boost::asio::awaitable<std::invoke_result_t<Work, pqxx::connection&>> {
                lease held{*this};
                co_return work(held.connection());
            },
            boost::asio::use_awaitable);
    }

    unsigned size() const { return size_; }
    unsigned busy() const;

private:
    // A connection taken from the idle list for one job, given back when the job ends.
    class lease {
    public:
        explicit lease(pool& owner);
        ~lease();
        lease(const lease&) = delete;
        lease& operator=(const lease&) = delete;
        pqxx::connection& connection();

    private:
        pool& owner_;
        std::unique_ptr<pqxx::connection> conn_;
    };

    std::unique_ptr<pqxx::connection> connect() const;

    config::database_url url_;
    unsigned size_;
    std::chrono::milliseconds statement_timeout_;
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<pqxx::connection>> idle_;
    unsigned busy_ = 0;
    boost::asio::thread_pool threads_;
};

} // namespace streamscope::api

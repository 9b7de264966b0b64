#pragma once
// Database connections, each used on a thread of the pool's own, so that libpq's blocking calls
// never run on an I/O thread: the API's read connections, the collector's sweep store and its
// rollup folder are each one of these. Connections are opened on first use and replaced when
// they break.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <pqxx/connection>
#include <pqxx/except>

#include "common/config/database_url.hpp"
#include "common/db/connection.hpp"

namespace streamscope::db {

struct pool_options {
    unsigned size = 1; // connections, and threads to use them on
    connection_options connection;
    // Run once on each new connection, e.g. "SET default_transaction_read_only = on".
    std::string session_setup = {};
    // Bounds of the wait for a connection, for pools that serve clients (the API): run() is
    // refused with pool_busy when this many jobs already wait, and a job that waited longer
    // than max_queue_wait is dropped the same way when its turn comes (its client has given
    // up or should). 0: no bound, for owners that never queue more than a few jobs.
    std::size_t max_queued = 0;
    std::chrono::milliseconds max_queue_wait{0};
};

// run() refused a job: too many wait already, or it waited too long (see pool_options).
class pool_busy : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class pool {
public:
    pool(config::database_url url, pool_options options);
    // Waits for the work already handed to the pool (see stop() to drop it instead).
    ~pool();
    pool(const pool&) = delete;
    pool& operator=(const pool&) = delete;

    // Runs `work(connection)` on a pool thread and resumes the caller on its own executor.
    // Database errors propagate as pqxx exceptions (broken_connection when the server cannot
    // be reached within the connect timeout); a broken connection is replaced on its next use.
    // `work` captures references and pointers only (every caller's does): see the ticket below.
    template <typename Work>
    boost::asio::awaitable<std::invoke_result_t<Work, pqxx::connection&>> run(Work work) {
        // The ticket stays in this frame, which the job refers to, as `work` does. Not captured
        // by value: in this GCC 12 build what the co_await's operand captures was destroyed
        // twice (a moved ticket was counted out twice; a shared one was freed twice, corrupting
        // the heap under bench-api), so the job's captures stay trivially destructible.
        queue_ticket waiting{*this};
        co_return co_await on_thread([this, &waiting, work = std::move(work)]() mutable {
            waiting.start();
            lease held{*this};
            try {
                return work(held.connection());
            } catch (const pqxx::broken_connection&) {
                held.discard();
                throw;
            }
        });
    }

    // Runs `work()` on a pool thread without a connection: for other blocking database work
    // (an advisory lock on a connection of its own, migrations). With one thread, it runs in
    // order with run()'s work.
    template <typename Work>
    boost::asio::awaitable<std::invoke_result_t<Work>> on_thread(Work work) {
        co_return co_await boost::asio::co_spawn(
            threads_.get_executor(),
            [work = std::move(work)]() mutable
            -> boost::asio::awaitable<std::invoke_result_t<Work>> { co_return work(); },
            boost::asio::use_awaitable);
    }

    // The pool threads' executor, for background jobs that run on them.
    boost::asio::thread_pool::executor_type executor() { return threads_.get_executor(); }

    // Drops the work not started yet and waits for the work that is running. For owners whose
    // queued work may be abandoned (a fold that the next run does anyway).
    void stop();

    unsigned size() const { return options_.size; }
    unsigned busy() const { return busy_; }
    std::size_t queued() const { return queued_; }
    std::uint64_t refused() const { return refused_; } // pool_busy thrown so far

    // A connection taken from the idle list for one job, given back when the job ends (unless
    // it broke: the next lease opens a new one). On a pool thread only: in a job posted to
    // executor() (run() takes one for its work itself).
    class lease {
    public:
        explicit lease(pool& owner);
        ~lease();
        lease(const lease&) = delete;
        lease& operator=(const lease&) = delete;
        pqxx::connection& connection();
        // The connection failed: it is closed instead of going back to the pool (libpq does not
        // always notice a dead server itself).
        void discard() { conn_.reset(); }

    private:
        pool& owner_;
        std::unique_ptr<pqxx::connection> conn_;
    };

private:
    // A job's place in the queue, from run() until it starts on a pool thread (or is dropped
    // unstarted): what max_queued and max_queue_wait are checked against.
    class queue_ticket {
    public:
        // Throws pool_busy when the queue is full.
        explicit queue_ticket(pool& owner);
        queue_ticket(const queue_ticket&) = delete;
        queue_ticket& operator=(const queue_ticket&) = delete;
        ~queue_ticket();
        // Leaves the queue; throws pool_busy when the job waited too long.
        void start();

    private:
        pool* owner_;
        std::chrono::steady_clock::time_point since_;
    };

    std::unique_ptr<pqxx::connection> connect() const;

    config::database_url url_;
    pool_options options_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<pqxx::connection>> idle_; // guarded by mutex_
    std::atomic<unsigned> busy_{0};
    std::atomic<std::size_t> queued_{0};
    std::atomic<std::uint64_t> refused_{0};
    boost::asio::thread_pool threads_;
};

} // namespace streamscope::db

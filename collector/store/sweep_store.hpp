#pragma once
// The sweep's database work, off the network thread: libpq blocks, and while a 100,000-stream
// sweep is written (seconds) the io_context must go on answering /health and pacing requests.
// Every call runs on one database thread, in order, on one connection.

#include <chrono>
#include <memory>
#include <optional>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <pqxx/connection>

#include "collector/events/sweep_events.hpp"
#include "collector/store/retention.hpp"
#include "collector/store/rollup_folder.hpp"
#include "collector/store/sweep_state.hpp"
#include "common/config/database_url.hpp"
#include "common/db/pool.hpp"
#include "common/db/sweep_writer.hpp"

namespace streamscope::collector {

class sweep_store {
public:
    // Connects lazily, on the first call; a call after a lost connection reconnects. Each
    // write carries the sweep's events (`rules`). After writes, applies `retention` at most
    // once an hour.
    explicit sweep_store(config::database_url url, retention_settings retention = {},
                         events::event_rules rules = {});
    ~sweep_store();
    sweep_store(const sweep_store&) = delete;
    sweep_store& operator=(const sweep_store&) = delete;

    boost::asio::awaitable<latest_sweep> latest(model::platform platform);
    boost::asio::awaitable<std::vector<open_broadcast>>
    unmatched(model::platform platform, const latest_sweep& latest,
              const std::deque<model::stream_observation>& seen);
    boost::asio::awaitable<enrichment_plan>
    plan(model::platform platform, const std::deque<model::stream_observation>& streams,
         std::chrono::hours profile_refresh, std::int64_t budget, bool with_followers);
    // Stores the sweep with its events (see events::sweep_events).
    boost::asio::awaitable<db::write_result> write(const model::sweep& sweep);

    // Runs `work(connection)` on the database thread. Database errors propagate as pqxx
    // exceptions; after a broken connection the next call connects anew.
    template <typename Work>
    boost::asio::awaitable<std::invoke_result_t<Work, pqxx::connection&>> run(Work work) {
        co_return co_await connection_.run(std::move(work));
    }

    // Runs `work()` on the database thread, for other blocking database work (the leader
    // lock, migrations) that must not stall the io_context.
    template <typename Work>
    boost::asio::awaitable<std::invoke_result_t<Work>> on_thread(Work work) {
        co_return co_await connection_.on_thread(std::move(work));
    }

private:
    // Rolls up what the new sweep completed, has the hours it completed folded (by folder_)
    // and, hourly, drops what has expired: after a write, on the database thread. Failures are
    // logged; the next write tries again.
    void after_write(pqxx::connection& c, model::platform platform);

    retention_settings retention_;
    events::sweep_events events_;                                     // database thread only
    std::optional<std::chrono::steady_clock::time_point> expired_at_; // database thread only
    rollup_folder folder_;
    db::pool connection_; // one connection, one thread: every call in order
};

} // namespace streamscope::collector

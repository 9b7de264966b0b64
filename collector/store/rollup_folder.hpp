#pragma once
// Folds each complete hour into the channels' hours, the day tables and the broadcasts
// (sql/functions/rollup_fold_hour.sql) on a connection and a thread of its own. A fold reads the
// hour's snapshots: at 100,000 live channels it takes seconds, once an hour, and no sweep's write
// may wait for it.

#include <atomic>
#include <memory>
#include <mutex>
#include <set>

#include <boost/asio/thread_pool.hpp>
#include <pqxx/connection>

#include "common/config/database_url.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::collector {

class rollup_folder {
public:
    explicit rollup_folder(config::database_url url);
    // Lets a fold in progress finish its hour (bounded by the statement timeout), then stops.
    ~rollup_folder();
    rollup_folder(const rollup_folder&) = delete;
    rollup_folder& operator=(const rollup_folder&) = delete;

    // Asks for the platform's complete hours to be folded and returns at once. A request made
    // while one for the same platform waits is the same request.
    void request(model::platform platform);

private:
    void fold(model::platform platform); // on thread_
    void refresh_leaderboards();         // on thread_, with conn_ open

    config::database_url url_;
    std::unique_ptr<pqxx::connection> conn_; // thread_ only
    std::mutex mutex_;
    std::set<model::platform> waiting_; // guarded by mutex_
    std::atomic<bool> stopping_{false};
    boost::asio::thread_pool thread_{1};
};

} // namespace streamscope::collector

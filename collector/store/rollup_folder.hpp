#pragma once
// Folds each complete hour into the channels' hours, the day tables and the broadcasts
// (sql/functions/rollup_fold_hour.sql) on a connection and a thread of its own. A fold reads the
// hour's snapshots: at 100,000 live channels it takes seconds, once an hour, and no sweep's write
// may wait for it.

#include <atomic>
#include <mutex>
#include <set>

#include <pqxx/connection>

#include "common/config/database_url.hpp"
#include "common/db/pool.hpp"
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
    void fold(model::platform platform); // on the pool's thread
    void refresh_leaderboards(pqxx::connection& conn);

    std::mutex mutex_;
    std::set<model::platform> waiting_; // guarded by mutex_
    std::atomic<bool> stopping_{false};
    db::pool connection_; // one connection, one thread: one round at a time
};

} // namespace streamscope::collector

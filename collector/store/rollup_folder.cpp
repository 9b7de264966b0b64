#include "collector/store/rollup_folder.hpp"

#include <chrono>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "common/db/rollups.hpp"

namespace streamscope::collector {

rollup_folder::rollup_folder(config::database_url url)
    : connection_(std::move(url),
                  {.connection = {.application_name = "streamscope-collector-fold"}}) {}

rollup_folder::~rollup_folder() {
    stopping_ = true;
    connection_.stop(); // a round not started yet is dropped; the next run folds its hours
}

void rollup_folder::request(model::platform platform) {
    {
        const std::lock_guard lock(mutex_);
        if (!waiting_.insert(platform).second) {
            return;
        }
    }
    boost::asio::post(connection_.executor(), [this, platform] {
        {
            const std::lock_guard lock(mutex_);
            waiting_.erase(platform); // from here on, a new request means another round
        }
        fold(platform);
    });
}

void rollup_folder::fold(model::platform platform) {
    int folded = 0;
    bool rebuilding = false;
    const auto started = std::chrono::steady_clock::now();
    db::pool::lease held{connection_};
    try {
        pqxx::connection& conn = held.connection();
        // One hour per transaction, oldest first, so that an interrupted backlog (after an
        // outage) keeps what it folded.
        while (!stopping_) {
            const int done = db::fold_next_hour(conn, static_cast<int>(platform));
            if (done < 0) {
                spdlog::info("rollups: a rebuild is running; complete hours are folded after "
                             "it");
                rebuilding = true;
                break;
            }
            if (done == 0) {
                break;
            }
            folded += done;
        }
        // Not while a rebuild runs: each of its batches changes the day totals again.
        if (!stopping_ && !rebuilding) {
            refresh_leaderboards(conn);
        }
    } catch (const std::exception& e) {
        held.discard(); // a failed statement or a lost server: the next round starts afresh
        spdlog::error("rollups: folding complete hours (or ranking the channel leaderboards) "
                      "failed: {}; it is tried again after the next sweep (or run "
                      "'streamscope-collector rollup --from DAY --to DAY')",
                      e.what());
    }
    if (folded > 0) {
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
        spdlog::info("rollups: {} complete hour(s) folded (channels, days, broadcasts) in "
                     "{:.2f} s",
                     folded, took.count());
    }
}

// After the folds (or a rebuild, or midnight): the day windows' leaderboards, which the API
// uses only while they match the day totals.
void rollup_folder::refresh_leaderboards(pqxx::connection& conn) {
    const auto started = std::chrono::steady_clock::now();
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    if (db::refresh_leaderboards(conn, today)) {
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
        spdlog::debug("rollups: channel leaderboards of the last 7, 30 and 90 days ranked in "
                      "{:.2f} s",
                      took.count());
    }
}

} // namespace streamscope::collector

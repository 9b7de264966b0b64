#include "collector/store/sweep_store.hpp"

#include <spdlog/spdlog.h>

#include "common/db/connection.hpp"
#include "common/db/rollups.hpp"

namespace streamscope::collector {

sweep_store::sweep_store(config::database_url url) : url_(std::move(url)) {}

sweep_store::~sweep_store() {
    thread_.join();
}

pqxx::connection& sweep_store::connection() {
    if (conn_ && !conn_->is_open()) {
        conn_.reset();
    }
    if (!conn_) {
        conn_ = db::connect(url_, {.application_name = "streamscope-collector"});
    }
    return *conn_;
}

boost::asio::awaitable<latest_sweep> sweep_store::latest(model::platform platform) {
    co_return co_await run(
        [platform](pqxx::connection& c) { return load_latest_sweep(c, platform); });
}

boost::asio::awaitable<std::vector<open_broadcast>>
sweep_store::unmatched(model::platform platform, const latest_sweep& latest,
                       const std::deque<model::stream_observation>& seen) {
    co_return co_await run([platform, &latest, &seen](pqxx::connection& c) {
        return load_unmatched_broadcasts(c, platform, latest, seen);
    });
}

boost::asio::awaitable<enrichment_plan>
sweep_store::plan(model::platform platform, const std::deque<model::stream_observation>& streams,
                  std::chrono::hours profile_refresh, std::int64_t budget) {
    co_return co_await run([platform, &streams, profile_refresh, budget](pqxx::connection& c) {
        return plan_enrichment(c, platform, streams, profile_refresh, budget);
    });
}

boost::asio::awaitable<db::write_result> sweep_store::write(const model::sweep& sweep) {
    co_return co_await run([&sweep](pqxx::connection& c) {
        db::write_result written = db::sweep_writer(c).write(sweep);
        // The new sweep ends the previous one's span: that one can be rolled up now. In a
        // transaction of its own, so that a rollup failure never costs the sweep; the sweeps
        // it leaves are rolled up after the next one.
        try {
            const auto started = std::chrono::steady_clock::now();
            const int rolled = db::roll_up_pending(c, static_cast<int>(sweep.source));
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
            if (rolled < 0) {
                spdlog::info("rollups: a rebuild is running; this sweep is rolled up after it");
            } else if (rolled > 0) {
                spdlog::info("rollups: {} sweep(s) rolled up in {:.2f} s", rolled, took.count());
            }
        } catch (const pqxx::broken_connection&) {
            throw; // the store's caller handles an unreachable database
        } catch (const std::exception& e) {
            spdlog::error("rollups failed: {}; they catch up after the next sweep (or run "
                          "'streamscope-collector rollup --from DAY --to DAY')",
                          e.what());
        }
        return written;
    });
}

} // namespace streamscope::collector

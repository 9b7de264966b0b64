#include "collector/store/sweep_store.hpp"

#include <spdlog/spdlog.h>

#include "collector/events/storage.hpp"
#include "common/db/partitions.hpp"
#include "common/db/rollups.hpp"

namespace streamscope::collector {

sweep_store::sweep_store(config::database_url url, retention_settings retention,
                         events::event_rules rules)
    : retention_(retention), events_(std::move(rules)), folder_(url),
      connection_(std::move(url), {.connection = {.application_name = "streamscope-collector"}}) {}

sweep_store::~sweep_store() = default;

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
                  std::chrono::hours profile_refresh, std::int64_t budget, bool with_followers) {
    co_return co_await run(
        [platform, &streams, profile_refresh, budget, with_followers](pqxx::connection& c) {
            return plan_enrichment(c, platform, streams, profile_refresh, budget, with_followers);
        });
}

boost::asio::awaitable<db::write_result> sweep_store::write(const model::sweep& sweep) {
    co_return co_await run([this, &sweep](pqxx::connection& c) {
        events::derivation derived = events_.prepare(c, sweep);
        db::write_result written = db::sweep_writer(c).write(sweep, derived.events);
        if (written.stored) {
            events_.stored(sweep, std::move(derived));
        }
        after_write(c, sweep.source);
        return written;
    });
}

void sweep_store::after_write(pqxx::connection& c, model::platform platform) {
    // The new sweep ends the previous one's span: that one can be rolled up now. In a
    // transaction of its own, so that a rollup failure never costs the sweep; the sweeps it
    // leaves are rolled up after the next one.
    try {
        const auto started = std::chrono::steady_clock::now();
        const int rolled = db::roll_up_pending(c, static_cast<int>(platform));
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
    folder_.request(platform);

    const auto now = std::chrono::steady_clock::now();
    if (expired_at_ && now - *expired_at_ < std::chrono::hours(1)) {
        return;
    }
    expired_at_ = now;
    try {
        const auto wall = std::chrono::system_clock::now();
        if (retention_.raw_days > 0) {
            const int dropped = db::drop_expired_partitions(
                c, std::chrono::time_point_cast<std::chrono::microseconds>(wall),
                retention_.raw_days);
            if (dropped > 0) {
                spdlog::info("retention: dropped {} daily snapshot partition(s) older than {} "
                             "days (RAW_RETENTION_DAYS)",
                             dropped, retention_.raw_days);
            }
        }
        const long long events =
            events::expire_events(c, std::chrono::hours(retention_.event_hours));
        if (events > 0) {
            spdlog::info(
                "retention: deleted {} events older than {} hours (EVENTS_RETENTION_HOURS)", events,
                retention_.event_hours);
        }
        if (retention_.rollup_days > 0) {
            const long long deleted = db::expire_rollups(c, wall, retention_.rollup_days);
            if (deleted > 0) {
                spdlog::info("retention: deleted {} rollup rows older than {} days "
                             "(ROLLUP_RETENTION_DAYS)",
                             deleted, retention_.rollup_days);
            }
        }
    } catch (const pqxx::broken_connection&) {
        throw;
    } catch (const std::exception& e) {
        spdlog::error("retention failed: {}; it is tried again in an hour", e.what());
    }
}

} // namespace streamscope::collector

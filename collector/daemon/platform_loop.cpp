#include "collector/daemon/platform_loop.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "collector/daemon/schedule.hpp"
#include "collector/platforms.hpp"
#include "common/cli/exit_codes.hpp"
#include "common/cli/migrate_command.hpp"
#include "common/http/client.hpp"
#include "common/time/seconds_between.hpp"
#include "common/time/sleep.hpp"

namespace streamscope::collector {
namespace {
using clock = std::chrono::system_clock;
using namespace boost::asio::experimental::awaitable_operators;
} // namespace

platform_loop::platform_loop(model::platform platform, boost::asio::any_io_executor executor,
                             daemon_shared& shared)
    : platform_(platform), shared_(shared),
      interval_(shared.settings.daemon.intervals.at(platform)),
      client_(find_platform(platform)->make_client(std::move(executor), shared.settings)),
      store_(shared.service.database, shared.settings.retention, shared.settings.events),
      lead_(shared.service.database, platform),
      sweeping_(*client_, nullptr, find_platform(platform)->options(shared.settings),
                shared.stopping) {
    client_->stop_when(shared.stopping);
    status().interval = interval_;
}

platform_loop::~platform_loop() = default;

boost::asio::awaitable<int> platform_loop::refresh_role() {
    platform_status& me = status();
    const role before = me.current_role;
    role now = co_await store_.on_thread([this] { return lead_.refresh(); });
    if (now == role::leader && !shared_.migrated) {
        // The first leader brings the schema up to date before its first write.
        const int migrate = co_await store_.on_thread(
            [this] { return cli::run_migrate(shared_.service.database, "streamscope-collector"); });
        if (migrate == cli::exit_schema_refused) {
            co_return migrate;
        }
        shared_.migrated = migrate == cli::exit_ok;
        if (!shared_.migrated) {
            now = role::detached;
        }
    }
    if (now == role::standby) {
        me.leader_last_sweep_at =
            co_await store_.on_thread([this] { return lead_.newest_sweep_at(); });
        if (before != role::standby) {
            spdlog::info("another collector leads {}: this one stands by and tries again at "
                         "every interval",
                         model::to_string(platform_));
        }
    }
    me.current_role = now;
    shared_.status.database_up = now != role::detached;
    co_return cli::exit_ok;
}

boost::asio::awaitable<void> platform_loop::drain_spool() {
    const auto entries = shared_.spooled.list(platform_);
    if (entries.empty()) {
        co_return;
    }
    std::uint64_t bytes = 0;
    for (const auto& e : entries) {
        bytes += e.bytes;
    }
    spdlog::info("replaying {} spooled {} sweeps ({} MB) into the database", entries.size(),
                 model::to_string(platform_), bytes >> 20);
    for (const auto& entry : entries) {
        if (shared_.stopping) {
            break;
        }
        model::sweep sweep;
        try {
            sweep = shared_.spooled.load(entry);
        } catch (const spool_corrupt& e) {
            spdlog::error("{}: moved to {}/corrupt for a person to look at; it is not replayed",
                          e.what(), shared_.settings.daemon.spool_dir);
            shared_.spooled.quarantine(entry);
            continue;
        }
        try {
            const db::write_result written = co_await store_.write(sweep);
            shared_.spooled.remove(entry);
            ++status().sweeps_replayed_total;
            status().rows_written_total += written.snapshots;
            spdlog::info("replayed the {} sweep of {}: {}", model::to_string(platform_),
                         time::format_rfc3339(sweep.started_at),
                         written.stored ? "stored" : "it was stored already");
        } catch (const std::exception& e) {
            spdlog::warn("replaying the spool stopped ({}); it goes on when the database is back",
                         e.what());
            shared_.status.database_up = false;
            break;
        }
    }
    shared_.note_spool_size();
}

void platform_loop::spool_sweep(const model::sweep& sweep) {
    const auto& daemon = shared_.settings.daemon;
    try {
        if (shared_.spooled.put(sweep) == spool::put_result::full) {
            spdlog::error("the spool is full (SPOOL_MAX_MB={}): the {} sweep of {} is dropped; "
                          "free space or raise SPOOL_MAX_MB, and bring the database back",
                          daemon.spool_max_bytes >> 20, model::to_string(platform_),
                          time::format_rfc3339(sweep.started_at));
        } else {
            spdlog::info("the {} sweep of {} is spooled in {}; it is replayed when the database "
                         "is back",
                         model::to_string(platform_), time::format_rfc3339(sweep.started_at),
                         daemon.spool_dir);
        }
    } catch (const std::exception& e) {
        spdlog::error("spooling the {} sweep of {} failed ({}): it is lost; check SPOOL_DIR's "
                      "disk",
                      model::to_string(platform_), time::format_rfc3339(sweep.started_at),
                      e.what());
    }
    shared_.note_spool_size();
}

void platform_loop::record(const collected_sweep& collected, std::int64_t rows, bool spooled_it) {
    const model::sweep& s = collected.sweep;
    platform_status& me = status();
    const sweep_summary summary{
        .started_at = clock::time_point(s.started_at.time_since_epoch()),
        .finished_at = clock::time_point(s.finished_at.time_since_epoch()),
        .status = std::string(model::to_string(s.status)),
        .streams = static_cast<std::int64_t>(s.streams.size()),
        .pages = s.pages,
        .rows_written = rows,
        .spooled = spooled_it,
    };
    me.last_sweep = summary;
    if (s.status == model::sweep_status::complete) {
        me.last_good_sweep = summary;
    }
    ++me.sweeps_by_status[summary.status];
    me.pages_total += s.pages;
    me.rows_written_total += rows;
    me.malformed_total += collected.report.malformed;
    me.last_sweep_duration_s = time::seconds_between(summary.started_at, summary.finished_at);
    const auto& counters = client_->counters();
    me.requests_by_status = counters.by_status;
    me.retries_total = counters.retries;
    me.throttled_total = counters.throttled;
    me.rate_limit_remaining = counters.rate_limit_remaining;
    me.token_expires_at = client_->token_expires_at();
}

boost::asio::awaitable<void> platform_loop::sweep() {
    platform_status& me = status();
    // Sweeps go straight to the database only while this collector leads and nothing older of
    // the platform waits in the spool: the database receives sweeps in the order they were taken.
    const bool direct = me.current_role == role::leader && shared_.spooled.list(platform_).empty();
    sweeping_.use_store(me.current_role == role::leader ? &store_ : nullptr);
    const collected_sweep collected = co_await sweeping_.collect();

    bool stored = false;
    std::int64_t rows = 0;
    if (direct) {
        try {
            const auto store_started = std::chrono::steady_clock::now();
            const db::write_result written = co_await store_.write(collected.sweep);
            rows = written.snapshots;
            stored = true;
            me.last_store_duration_s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - store_started)
                    .count();
        } catch (const std::exception& e) {
            spdlog::error("storing the {} sweep failed ({}); it is spooled and replayed when the "
                          "database is back",
                          model::to_string(platform_), e.what());
            shared_.status.database_up = false;
        }
    }
    if (!stored) {
        spool_sweep(collected.sweep);
    }
    record(collected, rows, !stored);
    const auto& r = collected.report;
    const auto log_level =
        r.status == model::sweep_status::complete ? spdlog::level::info : spdlog::level::warn;
    spdlog::log(
        log_level,
        "{} sweep {} in {:.1f} s: {} streams ({} recovered by look-up), {} ended, {} "
        "pages, {} requests, {} rate limited, {} malformed records left out; {}{}",
        model::to_string(platform_), model::to_string(r.status), me.last_sweep_duration_s,
        r.streams, r.recovered, r.ended, r.pages, r.requests, r.throttled, r.malformed,
        stored ? fmt::format("{} snapshots written in {:.2f} s", rows, *me.last_store_duration_s)
               : "spooled",
        r.error.empty() ? "" : "; " + r.error);
}

boost::asio::awaitable<int> platform_loop::run() {
    // The platform's own work beside the sweeps ends with them: when the sweeps end (stopping,
    // or the platform refused this collector), the || cancels it.
    auto ended = co_await (sweep_loop() || beside_sweeps());
    co_return std::get<0>(ended);
}

boost::asio::awaitable<void> platform_loop::beside_sweeps() {
    co_await client_->run_beside(shared_.stopping);
    // Done early (or nothing to do): wait for the sweeps to end, which cancels this wait.
    boost::asio::steady_timer until_cancelled(co_await boost::asio::this_coro::executor,
                                              boost::asio::steady_timer::time_point::max());
    co_await until_cancelled.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

boost::asio::awaitable<int> platform_loop::sweep_loop() {
    const std::string_view name = model::to_string(platform_);
    spdlog::info("{}: a sweep every {:.0f} s", name,
                 std::chrono::duration<double>(interval_).count());
    try {
        while (!shared_.stopping) {
            const auto started = clock::now();
            if (const int fatal = co_await refresh_role(); fatal != cli::exit_ok) {
                co_return fatal;
            }
            if (status().current_role == role::leader) {
                co_await drain_spool();
            }
            if (status().current_role != role::standby && !shared_.stopping) {
                co_await sweep();
            }
            if (shared_.stopping) {
                break;
            }
            // The platform may need longer than the configured interval (YouTube's quota).
            const auto interval =
                std::max(interval_, client_->interval_needed().value_or(interval_));
            status().interval = interval;
            status().quota = client_->quota();
            const auto planned = next_boundary(started, interval);
            if (clock::now() >= planned && status().current_role != role::standby) {
                spdlog::warn("the {} sweep took {:.0f} s, longer than the interval: the next one "
                             "starts now (raise its interval, or narrow the sweep)",
                             name, time::seconds_between(started, clock::now()));
                continue;
            }
            co_await time::sleep_for(planned - clock::now(), shared_.stopping);
        }
    } catch (const credentials_rejected& e) {
        spdlog::critical("{}; {} is left out until the collector restarts, the other platforms "
                         "go on",
                         e.what(), name);
        status().current_role = role::stopped;
        status().stopped_because = e.what();
        co_return cli::exit_bad_credentials;
    } catch (const http::untrusted_certificate& e) {
        spdlog::critical("{}: install the CA in the system store or name it in {}; {} is left "
                         "out until the collector restarts",
                         e.what(), find_platform(platform_)->ca_file_setting, name);
        status().current_role = role::stopped;
        status().stopped_because = e.what();
        co_return cli::exit_untrusted_certificate;
    }
    co_return cli::exit_ok;
}

} // namespace streamscope::collector

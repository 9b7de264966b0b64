#include "collector/daemon/daemon.hpp"

#include <boost/asio/ip/address.hpp>
#include <spdlog/spdlog.h>

#include "collector/daemon/health_server.hpp"
#include "collector/daemon/leadership.hpp"
#include "collector/daemon/schedule.hpp"
#include "collector/spool/spool.hpp"
#include "collector/store/sweep_store.hpp"
#include "collector/sweep/sweeper.hpp"
#include "collector/twitch/client.hpp"
#include "common/cli/exit_codes.hpp"
#include "common/cli/migrate_command.hpp"
#include "common/time/sleep.hpp"

namespace streamscope::collector {
namespace {
using clock = std::chrono::system_clock;

double seconds_between(clock::time_point from, clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

} // namespace

// Everything the daemon owns, in the order it must be built and torn down.
struct daemon::parts {
    parts(boost::asio::io_context& io_, const config::service_settings& service_,
          const collector_settings& settings_)
        : io(io_), service(service_), settings(settings_),
          twitch_client(io_.get_executor(), settings_.twitch),
          store(service_.database, settings_.retention),
          lead(service_.database, model::platform::twitch),
          spooled(settings_.daemon.spool_dir, settings_.daemon.spool_max_bytes),
          sweeping(twitch_client, nullptr,
                   {.max_streams = static_cast<std::size_t>(settings_.twitch.max_streams),
                    .channel_refresh = settings_.twitch.channel_refresh},
                   stopping),
          health(io_.get_executor(), status,
                 {boost::asio::ip::make_address(settings_.daemon.health_address),
                  settings_.daemon.health_port}) {
        twitch_client.stop_when(stopping);
        status.interval = settings_.daemon.interval;
        status.started_at = clock::now();
    }

    boost::asio::awaitable<int> refresh_role();
    boost::asio::awaitable<void> drain_spool();
    boost::asio::awaitable<void> sweep();
    void spool_sweep(const model::sweep& sweep);
    void note_spool_size();
    void record(const collected_sweep& collected, std::int64_t rows, bool spooled_it);

    boost::asio::io_context& io;
    const config::service_settings& service;
    const collector_settings& settings;
    bool stopping = false;
    bool migrated = false;
    collector_status status;

    twitch::client twitch_client;
    sweep_store store;
    leadership lead;
    spool spooled;
    sweeper sweeping;
    health_server health;
};

daemon::daemon(boost::asio::io_context& io, const config::service_settings& service,
               const collector_settings& settings)
    : parts_(std::make_unique<parts>(io, service, settings)) {}

daemon::~daemon() = default;

const collector_status& daemon::status() const {
    return parts_->status;
}

void daemon::stop() {
    if (!parts_->stopping) {
        spdlog::info("stopping: the current sweep ends at its next page and is kept");
    }
    parts_->stopping = true;
    parts_->twitch_client.cancel();
}

boost::asio::awaitable<int> daemon::parts::refresh_role() {
    const role before = status.current_role;
    role now = co_await store.on_thread([this] { return lead.refresh(); });
    if (now == role::leader && !migrated) {
        // The leader brings the schema up to date before its first write.
        const int migrate = co_await store.on_thread(
            [this] { return cli::run_migrate(service.database, "streamscope-collector"); });
        if (migrate == cli::exit_schema_refused) {
            co_return migrate;
        }
        migrated = migrate == cli::exit_ok;
        if (!migrated) {
            now = role::detached;
        }
    }
    if (now == role::standby) {
        status.leader_last_sweep_at =
            co_await store.on_thread([this] { return lead.newest_sweep_at(); });
        if (before != role::standby) {
            spdlog::info("another collector leads: this one stands by and tries again at every "
                         "interval");
        }
    }
    status.current_role = now;
    status.database_up = now != role::detached;
    co_return cli::exit_ok;
}

boost::asio::awaitable<void> daemon::parts::drain_spool() {
    const auto entries = spooled.list();
    if (entries.empty()) {
        co_return;
    }
    std::uint64_t bytes = 0;
    for (const auto& e : entries) {
        bytes += e.bytes;
    }
    spdlog::info("replaying {} spooled sweeps ({} MB) into the database", entries.size(),
                 bytes >> 20);
    for (const auto& entry : entries) {
        if (stopping) {
            break;
        }
        model::sweep sweep;
        try {
            sweep = spooled.load(entry);
        } catch (const spool_corrupt& e) {
            spdlog::error("{}: moved to {}/corrupt for a person to look at; it is not replayed",
                          e.what(), settings.daemon.spool_dir);
            spooled.quarantine(entry);
            continue;
        }
        try {
            const db::write_result written = co_await store.write(sweep);
            spooled.remove(entry);
            ++status.sweeps_replayed_total;
            status.rows_written_total += written.snapshots;
            spdlog::info("replayed the sweep of {}: {}", time::format_rfc3339(sweep.started_at),
                         written.stored ? "stored" : "it was stored already");
        } catch (const std::exception& e) {
            spdlog::warn("replaying the spool stopped ({}); it goes on when the database is back",
                         e.what());
            status.database_up = false;
            break;
        }
    }
    note_spool_size();
}

// One scan of the spool folder for both figures.
void daemon::parts::note_spool_size() {
    const auto entries = spooled.list();
    status.spool_files = entries.size();
    status.spool_bytes = 0;
    for (const auto& e : entries) {
        status.spool_bytes += e.bytes;
    }
}

void daemon::parts::spool_sweep(const model::sweep& sweep) {
    try {
        if (spooled.put(sweep) == spool::put_result::full) {
            spdlog::error("the spool is full (SPOOL_MAX_MB={}): the sweep of {} is dropped; free "
                          "space or raise SPOOL_MAX_MB, and bring the database back",
                          settings.daemon.spool_max_bytes >> 20,
                          time::format_rfc3339(sweep.started_at));
        } else {
            spdlog::info("the sweep of {} is spooled in {}; it is replayed when the database "
                         "is back",
                         time::format_rfc3339(sweep.started_at), settings.daemon.spool_dir);
        }
    } catch (const std::exception& e) {
        spdlog::error("spooling the sweep of {} failed ({}): it is lost; check SPOOL_DIR's disk",
                      time::format_rfc3339(sweep.started_at), e.what());
    }
    note_spool_size();
}

void daemon::parts::record(const collected_sweep& collected, std::int64_t rows, bool spooled_it) {
    const model::sweep& s = collected.sweep;
    const sweep_summary summary{
        .started_at = clock::time_point(s.started_at.time_since_epoch()),
        .finished_at = clock::time_point(s.finished_at.time_since_epoch()),
        .status = std::string(model::to_string(s.status)),
        .streams = static_cast<std::int64_t>(s.streams.size()),
        .pages = s.pages,
        .rows_written = rows,
        .spooled = spooled_it,
    };
    status.last_sweep = summary;
    if (s.status == model::sweep_status::complete) {
        status.last_good_sweep = summary;
    }
    ++status.sweeps_by_status[summary.status];
    status.pages_total += s.pages;
    status.rows_written_total += rows;
    status.last_sweep_duration_s = seconds_between(summary.started_at, summary.finished_at);
    const auto& counters = twitch_client.counters();
    status.requests_by_status = counters.by_status;
    status.retries_total = counters.retries;
    status.throttled_total = counters.throttled;
    status.rate_limit_remaining = counters.rate_limit_remaining;
    status.token_expires_at = twitch_client.token_expires_at();
}

boost::asio::awaitable<void> daemon::parts::sweep() {
    // Sweeps go straight to the database only while this collector leads and nothing older
    // waits in the spool: the database receives sweeps in the order they were taken.
    const bool direct = status.current_role == role::leader && status.spool_files == 0;
    sweeping.use_store(status.current_role == role::leader ? &store : nullptr);
    const collected_sweep collected = co_await sweeping.collect();

    bool stored = false;
    std::int64_t rows = 0;
    if (direct) {
        try {
            const auto store_started = std::chrono::steady_clock::now();
            const db::write_result written = co_await store.write(collected.sweep);
            rows = written.snapshots;
            stored = true;
            status.last_store_duration_s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - store_started)
                    .count();
        } catch (const std::exception& e) {
            spdlog::error("storing the sweep failed ({}); it is spooled and replayed when the "
                          "database is back",
                          e.what());
            status.database_up = false;
        }
    }
    if (!stored) {
        spool_sweep(collected.sweep);
    }
    record(collected, rows, !stored);
    const auto& r = collected.report;
    const auto log_level =
        r.status == model::sweep_status::complete ? spdlog::level::info : spdlog::level::warn;
    spdlog::log(log_level,
                "sweep {} in {:.1f} s: {} streams ({} recovered by look-up), {} ended, {} pages, "
                "{} requests, {} rate limited; {}{}",
                model::to_string(r.status), status.last_sweep_duration_s, r.streams, r.recovered,
                r.ended, r.pages, r.requests, r.throttled,
                stored ? fmt::format("{} snapshots written in {:.2f} s", rows,
                                     *status.last_store_duration_s)
                       : "spooled",
                r.error.empty() ? "" : "; " + r.error);
}

boost::asio::awaitable<int> daemon::run() {
    parts& p = *parts_;
    const std::uint16_t port = p.health.listen();
    p.health.start();
    spdlog::info("collector started: a sweep every {:.0f} s; /health and /metrics on {}:{}; "
                 "spool in {}",
                 std::chrono::duration<double>(p.settings.daemon.interval).count(),
                 p.settings.daemon.health_address, port, p.settings.daemon.spool_dir);
    p.note_spool_size();

    while (!p.stopping) {
        const auto started = clock::now();
        if (const int fatal = co_await p.refresh_role(); fatal != cli::exit_ok) {
            p.health.stop();
            co_return fatal;
        }
        if (p.status.current_role == role::leader) {
            co_await p.drain_spool();
        }
        if (p.status.current_role != role::standby && !p.stopping) {
            co_await p.sweep();
        }
        if (p.stopping) {
            break;
        }
        const auto planned = next_boundary(started, p.settings.daemon.interval);
        if (clock::now() >= planned && p.status.current_role != role::standby) {
            spdlog::warn("the sweep took {:.0f} s, longer than the interval: the next one starts "
                         "now (raise COLLECTION_INTERVAL_MINUTES, or narrow the sweep with "
                         "TWITCH_LANGUAGES / MAX_STREAMS_PER_COLLECTION)",
                         seconds_between(started, clock::now()));
            continue;
        }
        co_await time::sleep_for(planned - clock::now(), p.stopping);
    }
    p.health.stop();
    spdlog::info("collector stopped");
    co_return cli::exit_ok;
}

} // namespace streamscope::collector

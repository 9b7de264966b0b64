// streamscope-collector: keeps the database current with what is live on the platforms.

#include <array>
#include <cstdio>
#include <exception>
#include <optional>
#include <unistd.h>
#include <variant>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_future.hpp>
#include <spdlog/spdlog.h>

#include "collector/config.hpp"
#include "collector/daemon/daemon.hpp"
#include "collector/sweep/twitch_sweep.hpp"
#include "common/cli/exit_codes.hpp"
#include "common/cli/migrate_command.hpp"
#include "common/cli/service_main.hpp"
#include "common/db/connection.hpp"
#include "common/db/rollups.hpp"
#include "common/http/healthcheck.hpp"
#include "common/time/timestamp.hpp"

namespace {
using namespace streamscope;

constexpr std::string_view usage = R"(Usage: streamscope-collector [run] [--option VALUE ...]
       streamscope-collector --once [--option VALUE ...]
       streamscope-collector migrate | healthcheck [--option VALUE ...]
       streamscope-collector rollup --from YYYY-MM-DD [--to YYYY-MM-DD]

Commands:
  run         (the default) the daemon: a sweep at every COLLECTION_INTERVAL_MINUTES while
              this collector leads (one leader per database), sweeps spooled in SPOOL_DIR
              while the database is unreachable and replayed when it is back, /health and
              /metrics on COLLECTOR_HEALTH_PORT; SIGTERM stops it cleanly
  --once      apply pending migrations, sweep every live stream on Twitch once, store the
              sweep and exit
  healthcheck ask the running daemon's /health on 127.0.0.1:COLLECTOR_HEALTH_PORT; exit 0
              when healthy, 1 when not (for container health checks)
  rollup      rebuild the rollups of the UTC days [--from, --to) from the raw snapshots,
              with a progress bar (the daemon keeps them current by itself; use this after
              restoring data, or to roll up sweeps stored before the rollups existed)
  migrate     apply pending schema migrations to DATABASE_URL and exit
              (a no-op when the schema is current; refused with exit code 3 when the
              database schema is newer than this binary or an applied migration was edited)

Options:
  --help      this text
  --version   the version

Exit codes: 0 done (the sweep was stored complete), 1 failed or the sweep is partial (see
the log), 2 bad settings, 3 schema refused, 4 Twitch refused TWITCH_CLIENT_ID /
TWITCH_CLIENT_SECRET, 5 Twitch's TLS certificate is not trusted (see TWITCH_CA_FILE).
)";

constexpr std::array<std::string_view, 4> commands{"migrate", "run", "healthcheck", "rollup"};
constexpr auto options =
    config::join_options(config::service_options, collector::collector_options);

int run_once(const config::service_settings& service, const collector::collector_settings& s) {
    if (const int migrated = cli::run_migrate(service.database, "streamscope-collector");
        migrated != cli::exit_ok) {
        return migrated;
    }
    boost::asio::io_context io;
    auto tls = http::make_tls_context(s.twitch.ca_file);
    http::client auth_http{io.get_executor(), tls, s.twitch.auth, s.twitch.timeouts};
    http::client api_http{io.get_executor(), tls, s.twitch.api, s.twitch.timeouts};
    const time::backoff_policy retry{.max_retries = s.twitch.max_retries};
    twitch::token_source tokens{auth_http, s.twitch.credentials, retry};
    twitch::helix_client helix{api_http, tokens, retry};
    collector::sweep_store store{service.database, s.retention};
    const bool stopping = false;
    collector::twitch_sweep sweep{helix, &store, s.twitch, stopping};

    auto done = boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<std::pair<collector::sweep_report, db::write_result>> {
            collector::collected_sweep collected = co_await sweep.collect();
            db::write_result written = co_await store.write(collected.sweep);
            co_return std::pair{std::move(collected.report), written};
        },
        boost::asio::use_future);
    io.run();
    const auto [report, written] = done.get(); // rethrows what the sweep threw

    spdlog::info("sweep {}: {} streams ({} recovered by look-up), {} broadcasts ended, {} "
                 "pages, {} requests, {} rate limited, {} snapshots written",
                 model::to_string(report.status), report.streams, report.recovered, report.ended,
                 report.pages, report.requests, report.throttled, written.snapshots);
    if (report.status != model::sweep_status::complete) {
        spdlog::error("the sweep is {}: {}", model::to_string(report.status), report.error);
        return cli::exit_failure;
    }
    return cli::exit_ok;
}

// The days of `rollup`: --from and --to as YYYY-MM-DD (or a full ISO 8601 time: its day).
struct day_range {
    std::chrono::sys_days from;
    std::chrono::sys_days to;
};

std::optional<std::chrono::sys_days> parse_day(const std::string& text) {
    const std::string full = text.size() == 10 ? text + "T00:00:00Z" : text;
    const auto t = time::parse_rfc3339(full);
    if (!t) {
        return std::nullopt;
    }
    return std::chrono::floor<std::chrono::days>(*t);
}

day_range load_day_range(const config::settings& s, std::vector<std::string>& problems) {
    day_range range;
    const auto from = parse_day(s.get("FROM").value_or(""));
    if (!from) {
        problems.push_back("rollup needs --from YYYY-MM-DD (the first UTC day to rebuild)");
    } else {
        range.from = *from;
    }
    const std::string to_text = s.get("TO").value_or("");
    const auto tomorrow = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                          std::chrono::days(1);
    const auto to = to_text.empty() ? std::optional(tomorrow) : parse_day(to_text);
    if (!to) {
        problems.push_back("--to must be a day (YYYY-MM-DD), the day after the last to rebuild");
    } else {
        range.to = *to;
    }
    if (from && to && *to <= *from) {
        problems.push_back("--to must be after --from");
    }
    return range;
}

int run_rollup(const config::service_settings& service, const day_range& range) {
    if (const int migrated = cli::run_migrate(service.database, "streamscope-collector");
        migrated != cli::exit_ok) {
        return migrated;
    }
    auto conn = db::connect(service.database, {.application_name = "streamscope-rollup"});
    const bool terminal = isatty(STDERR_FILENO) != 0;
    int shown = -1;
    const auto progress = [&](std::size_t done, std::size_t total) {
        const int percent = total == 0 ? 100 : static_cast<int>(done * 100 / total);
        if (terminal) {
            const int bar = percent * 40 / 100;
            std::fprintf(stderr, "\rrollup [%.*s%.*s] %3d%%  %zu/%zu sweeps", bar,
                         "########################################", 40 - bar,
                         "                                        ", percent, done, total);
            if (done == total) {
                std::fputc('\n', stderr);
            }
        } else if (percent / 10 != shown / 10) { // a log line every 10%
            spdlog::info("rollup: {}% ({}/{} sweeps)", percent, done, total);
        }
        shown = percent;
    };
    const auto started = std::chrono::steady_clock::now();
    const db::rebuild_result done = db::rebuild_rollups(*conn, range.from, range.to, progress);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    spdlog::info("rollup: rebuilt {} sweeps ({} snapshots, {} broadcasts) in {:.1f} s", done.sweeps,
                 done.snapshots, done.broadcasts, took.count());
    return cli::exit_ok;
}

int run_daemon(const config::service_settings& service, const collector::collector_settings& s) {
    boost::asio::io_context io;
    collector::daemon daemon{io, service, s};
    boost::asio::signal_set signals{io, SIGINT, SIGTERM};
    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (!ec) {
            daemon.stop();
        }
    });
    int exit_code = cli::exit_failure;
    std::exception_ptr failure;
    boost::asio::co_spawn(io, daemon.run(), [&](std::exception_ptr e, int code) {
        failure = e;
        exit_code = code;
        signals.cancel(); // nothing else keeps io.run() going
    });
    io.run();
    if (failure) {
        std::rethrow_exception(failure);
    }
    return exit_code;
}

} // namespace

int main(int argc, char** argv) {
    collector::collector_settings own;
    day_range days;
    cli::program_info program{"streamscope-collector", usage, commands, "run", "healthcheck"};
    program.load_own_settings = [&](std::string_view command, const config::settings& s,
                                    std::vector<std::string>& problems) {
        if (command == "rollup") {
            days = load_day_range(s, problems);
            return; // needs nothing of Twitch
        }
        own = collector::load_collector_settings(s, command == "run", problems);
    };
    const auto started = cli::start(program, options, argc, argv);
    if (const int* exit_code = std::get_if<int>(&started)) {
        return *exit_code;
    }
    const auto& run = std::get<cli::invocation>(started);
    if (run.command == "migrate") {
        return cli::run_migrate(run.settings.database, "streamscope-collector");
    }
    if (run.command == "rollup") {
        return run_rollup(run.settings, days);
    }
    if (run.command == "healthcheck") {
        return http::run_healthcheck("127.0.0.1", own.daemon.health_port, std::chrono::seconds(5));
    }
    try {
        return own.once ? run_once(run.settings, own) : run_daemon(run.settings, own);
    } catch (const twitch::credentials_rejected& e) {
        spdlog::critical("{}", e.what());
        return cli::exit_bad_credentials;
    } catch (const http::untrusted_certificate& e) {
        spdlog::critical("{}: install the CA in the system store or name it in TWITCH_CA_FILE",
                         e.what());
        return cli::exit_untrusted_certificate;
    } catch (const std::exception& e) {
        spdlog::critical("streamscope-collector failed: {}", e.what());
        return cli::exit_failure;
    }
}

// streamscope-collector: keeps the database current with what is live on the platforms.

#include <array>
#include <exception>
#include <variant>

#include <spdlog/spdlog.h>

#include "collector/commands/daemon.hpp"
#include "collector/commands/once.hpp"
#include "collector/commands/rollup.hpp"
#include "collector/commands/youtube.hpp"
#include "collector/settings/options.hpp"
#include "collector/settings/settings.hpp"
#include "common/cli/exit_codes.hpp"
#include "common/cli/migrate_command.hpp"
#include "common/cli/service_main.hpp"
#include "common/config/secret.hpp"
#include "common/http/healthcheck.hpp"

namespace {
using namespace streamscope;

constexpr std::string_view usage = R"(Usage: streamscope-collector [run] [--option VALUE ...]
       streamscope-collector --once [--option VALUE ...]
       streamscope-collector migrate | healthcheck [--option VALUE ...]
       streamscope-collector rollup --from YYYY-MM-DD [--to YYYY-MM-DD]
       streamscope-collector youtube add ID-or-@HANDLE... [--file FILE] |
                             youtube remove ID-or-@HANDLE... | youtube list

Commands:
  run         (the default) the daemon: for each platform in PLATFORMS, a sweep at every
              interval while this collector leads it (one leader per platform and
              database), sweeps spooled in SPOOL_DIR while the database is unreachable and
              replayed when it is back, /health and /metrics on COLLECTOR_HEALTH_PORT;
              SIGTERM stops it cleanly
  --once      apply pending migrations, sweep every live stream of each platform in
              PLATFORMS once, store the sweeps and exit
  healthcheck ask the running daemon's /health on 127.0.0.1:COLLECTOR_HEALTH_PORT; exit 0
              when healthy, 1 when not (for container health checks)
  rollup      rebuild the rollups of the UTC days [--from, --to) from the raw snapshots,
              with a progress bar (the daemon keeps them current by itself; use this after
              restoring data, or to roll up sweeps stored before the rollups existed)
  youtube     YouTube's watchlist (YouTube is followed channel by channel, not swept
              whole): `add` checks channel ids, @handles or channel URLs with YouTube
              (YOUTUBE_API_KEY; a unit of quota per 50 ids or per handle) and adds them,
              reporting unknown or terminated ones; `remove` takes them off; `list` shows them
              with their feed's state and today's quota spending
  migrate     apply pending schema migrations to DATABASE_URL and exit
              (a no-op when the schema is current; refused with exit code 3 when the
              database schema is newer than this binary or an applied migration was edited);
              with API_DATABASE_PASSWORD, also create or update the API's login role
              streamscope_api (read-only but for api_keys) with that password

Options:
  --help      this text
  --version   the version

Exit codes: 0 done (every sweep was stored complete), 1 failed, a sweep is partial, or a
platform was refused while another swept (see the log), 2 bad settings, 3 schema refused,
4 every platform refused its credentials (TWITCH_CLIENT_ID / _SECRET, KICK_CLIENT_ID /
_SECRET, YOUTUBE_API_KEY), 5 every platform was refused and a TLS certificate is not trusted
(see TWITCH_CA_FILE, KICK_CA_FILE, YOUTUBE_CA_FILE).
)";

constexpr std::array<std::string_view, 5> commands{"migrate", "run", "healthcheck", "rollup",
                                                   "youtube"};
constexpr std::array<std::string_view, 1> commands_with_arguments{"youtube"};
constexpr auto options =
    config::join_options(config::service_options, collector::collector_options);

} // namespace

int main(int argc, char** argv) {
    collector::collector_settings own;
    collector::day_range days;
    config::secret api_database_password;
    std::string youtube_file; // youtube add --file
    cli::program_info program{"streamscope-collector", usage, commands, "run", "healthcheck"};
    program.commands_with_arguments = commands_with_arguments;
    program.load_own_settings = [&](std::string_view command, const config::settings& s,
                                    std::vector<std::string>& problems) {
        if (command == "migrate") {
            api_database_password =
                config::secret(s.get("API_DATABASE_PASSWORD").value_or(std::string()));
        }
        if (command == "rollup") {
            days = collector::load_day_range(s, problems);
            return; // needs nothing of any platform
        }
        own = collector::load_collector_settings(s, command == "run", problems);
        youtube_file = s.get("FILE").value_or("");
    };
    const auto started = cli::start(program, options, argc, argv);
    if (const int* exit_code = std::get_if<int>(&started)) {
        return *exit_code;
    }
    const auto& run = std::get<cli::invocation>(started);
    if (run.command == "migrate") {
        return cli::run_migrate(run.settings.database, "streamscope-collector",
                                api_database_password);
    }
    if (run.command == "rollup") {
        return collector::run_rollup(run.settings, days);
    }
    if (run.command == "youtube") {
        return collector::run_youtube_command(run.settings, own.youtube, youtube_file,
                                              run.arguments);
    }
    if (run.command == "healthcheck") {
        return http::run_healthcheck("127.0.0.1", own.daemon.health_port, std::chrono::seconds(5));
    }
    try {
        return own.once ? collector::run_once(run.settings, own)
                        : collector::run_daemon(run.settings, own);
    } catch (const std::exception& e) {
        spdlog::critical("streamscope-collector failed: {}", e.what());
        return cli::exit_failure;
    }
}

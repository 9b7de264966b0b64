// streamscope-api: the REST API over the Streamscope database.

#include <array>
#include <variant>

#include <spdlog/spdlog.h>

#include "api/config.hpp"
#include "api/db/pool.hpp"
#include "api/http/server.hpp"
#include "api/routes.hpp"
#include "common/cli/exit_codes.hpp"
#include "common/cli/migrate_command.hpp"
#include "common/cli/service_main.hpp"
#include "common/http/healthcheck.hpp"

namespace {
using namespace streamscope;

constexpr std::string_view usage = R"(Usage: streamscope-api [serve] [--option VALUE ...]
       streamscope-api migrate | healthcheck [--option VALUE ...]

Commands:
  serve       (the default) answer HTTP requests on API_HOST:API_PORT until SIGTERM or
              SIGINT, which drain the requests in flight first
  healthcheck ask the running server's /health on 127.0.0.1:API_PORT; exit 0 when healthy,
              1 when not (for container health checks)
  migrate     apply pending schema migrations to DATABASE_URL and exit (normally the
              collector does this; the API itself needs only read access)

Options:
  --help      this text
  --version   the version

Exit codes: 0 done, 1 failed (see the log), 2 bad settings, 3 schema refused.
)";

constexpr std::array<std::string_view, 3> commands{"serve", "migrate", "healthcheck"};
constexpr auto options = config::join_options(config::service_options, api::api_options);

int serve(const config::service_settings& service, const api::api_settings& s) {
    api::pool db{service.database, s.pool_size, s.statement_timeout};
    api::request_metrics metrics;
    api::answer_cache cache{db};
    api::app shared{db, metrics, cache};
    api::router routes;
    api::add_routes(routes, shared);

    api::server_options serving;
    serving.host = s.host;
    serving.port = s.port;
    serving.threads = s.threads;
    serving.max_connections = s.max_connections;
    serving.cors_allowed_origins = s.cors_allowed_origins;
    serving.request_observer = [&metrics](std::string_view route, unsigned status,
                                          std::chrono::nanoseconds took) {
        metrics.observe(route, status, took);
    };
    api::server server{serving, routes};
    const std::uint16_t port = server.listen();
    spdlog::info("streamscope-api listening on {}:{} with {} threads and {} database "
                 "connections ({})",
                 s.host, port, s.threads, s.pool_size, service.database.redacted());
    server.run();
    spdlog::info("streamscope-api stopped");
    return cli::exit_ok;
}

} // namespace

int main(int argc, char** argv) {
    api::api_settings own;
    cli::program_info program{"streamscope-api", usage, commands, "serve", "healthcheck"};
    program.load_own_settings = [&](std::string_view, const config::settings& s,
                                    std::vector<std::string>& problems) {
        own = api::load_api_settings(s, problems);
    };
    const auto started = cli::start(program, options, argc, argv);
    if (const int* exit_code = std::get_if<int>(&started)) {
        return *exit_code;
    }
    const auto& run = std::get<cli::invocation>(started);
    if (run.command == "migrate") {
        return cli::run_migrate(run.settings.database, "streamscope-api");
    }
    if (run.command == "healthcheck") {
        return http::run_healthcheck("127.0.0.1", own.port, std::chrono::seconds(5));
    }
    try {
        return serve(run.settings, own);
    } catch (const std::exception& e) {
        spdlog::critical("streamscope-api failed: {}", e.what());
        return cli::exit_failure;
    }
}

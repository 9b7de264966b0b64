// streamscope-api: the REST API over the Streamscope database.

#include <array>
#include <cstdlib>
#include <functional>
#include <malloc.h>
#include <optional>
#include <thread>
#include <variant>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

#include "api/config.hpp"
#include "api/keys_command.hpp"
#include "api/routes.hpp"
#include "common/cli/exit_codes.hpp"
#include "common/cli/migrate_command.hpp"
#include "common/cli/service_main.hpp"
#include "common/db/pool.hpp"
#include "common/http/healthcheck.hpp"
#include "common/http/router.hpp"
#include "common/http/server.hpp"
#include "common/http/server_tls.hpp"

namespace {
using namespace streamscope;

constexpr std::string_view usage = R"(Usage: streamscope-api [serve] [--option VALUE ...]
       streamscope-api migrate | healthcheck [--option VALUE ...]
       streamscope-api keys create --name NAME [--scope SCOPE] [--rate N] [--expires DATE]
                                   [--export-rows N]
       streamscope-api keys list | keys revoke ID-or-PREFIX...

Commands:
  serve       (the default) answer HTTP requests on API_HOST:API_PORT until SIGTERM or
              SIGINT, which drain the requests in flight first
  healthcheck ask the running server's /health on 127.0.0.1:API_PORT (over HTTPS with
              API_TLS_CERT); exit 0 when healthy,
              1 when not (for container health checks)
  migrate     apply pending schema migrations to DATABASE_URL and exit (normally
              `streamscope-collector migrate` does this as the schema's owner, and makes
              the API's role streamscope_api, which may not migrate)
  keys        API keys, for AUTH_MODE=keys or open-read: `create` makes one and prints
              it alone on the last line (it is stored only as a hash: keep it), `list`
              shows every key with its use, `revoke` ends keys at once on every server
              (within seconds); DATABASE_URL's role must be able to write api_keys
              (streamscope_api can)

Options:
  --help      this text
  --version   the version

Exit codes: 0 done, 1 failed (see the log), 2 bad settings, 3 schema refused.
)";

constexpr std::array<std::string_view, 4> commands{"serve", "migrate", "healthcheck", "keys"};
constexpr std::array<std::string_view, 1> commands_with_arguments{"keys"};
constexpr auto options = config::join_options(config::service_options, api::api_options);

// A drain lets requests in flight finish and answer for this long before they are cut off.
constexpr auto drain_grace = std::chrono::seconds(10);
// A key created or revoked anywhere works, or stops working, within this on every server.
constexpr auto key_reload_every = std::chrono::seconds(2);
// Keys' use is added to api_keys this often (one statement for all keys).
constexpr auto key_use_record_every = std::chrono::seconds(10);
// Rate buckets kept at most (keys and anonymous addresses): about 100 bytes each.
constexpr std::size_t rate_limited_clients = 100'000;

// glibc's defaults let the API's memory run far past API_CACHE_MB: a freed answer of a few
// hundred KB raises the dynamic mmap threshold, so later answers come from the heap and stay
// there fragmented, in one arena per thread. Measured (bench-api, 20,000 distinct large answers,
// a 64 MB cache): peak RSS 157 MB with the defaults, 133 MB with large blocks always mapped
// (and so returned at once) and two arenas. MALLOC_MMAP_THRESHOLD_ / MALLOC_ARENA_MAX in the
// environment still decide when set.
void bound_malloc() {
    if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr) {
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    }
    if (std::getenv("MALLOC_ARENA_MAX") == nullptr) {
        mallopt(M_ARENA_MAX, 2);
    }
}

int serve(const config::service_settings& service, const api::api_settings& s) {
    bound_malloc();
    std::shared_ptr<boost::asio::ssl::context> tls;
    if (!s.tls_cert.empty()) {
        try {
            tls = http::make_server_tls_context(s.tls_cert, s.tls_key);
        } catch (const std::exception& e) {
            spdlog::error("API_TLS_CERT/API_TLS_KEY: {}", e.what());
            return cli::exit_bad_config;
        }
    }
    // The API only reads: a session that cannot write turns a bug into an error, not damage.
    // No JIT: its queries run for milliseconds, and one whose estimate passes the JIT cost
    // thresholds (a ranking with a look-up per channel) spent 60 to 700 ms compiling itself.
    db::pool_options reading;
    reading.size = s.pool_size;
    reading.connection.application_name = "streamscope-api";
    reading.connection.connect_timeout = std::chrono::seconds(2);
    reading.connection.statement_timeout = s.statement_timeout;
    reading.session_setup = "SET default_transaction_read_only = on; SET jit = off";
    reading.max_queued = s.db_queue_limit;
    reading.max_queue_wait = s.db_queue_timeout;
    // The live feed's poller reads on a connection of its own: it never waits behind the
    // clients' requests, nor is it refused with them when their queue is full.
    db::pool_options polling = reading;
    polling.size = 1;
    polling.max_queued = 0;
    polling.max_queue_wait = std::chrono::milliseconds(0);
    polling.connection.application_name = "streamscope-api events";
    db::pool db{service.database, std::move(reading)};
    db::pool events_db{service.database, std::move(polling)};
    api::request_metrics metrics;
    api::answer_cache cache{db, s.cache_bytes};
    api::key_store keys{db};
    api::rate_limiter limits{rate_limited_clients};
    const api::guard auth{
        s.auth,
        keys,
        limits,
        {.key_rate = s.key_rate, .anonymous_rate = s.anonymous_rate, .proxies = s.proxies}};
    api::event_hub events{events_db, s.feeds.hub};
    api::app shared{db,        metrics, cache,
                    keys,      auth,    events,
                    s.exports, s.feeds, {.allow_private = s.webhook_allow_private}};
    http::router routes;
    api::add_routes(routes, shared);

    // Declared after what the handlers use: a forced stop leaves handlers suspended until the
    // io_context goes, and they must find all of it still there.
    boost::asio::io_context io;
    http::server server{
        io.get_executor(),
        {.name = "api server",
         .host = s.host,
         .port = s.port,
         .max_connections = s.max_connections,
         .max_connections_per_address = s.max_connections_per_ip,
         .streamed_read_floor = {.bytes_per_second = s.export_min_bytes_per_second,
                                 .grace = s.export_grace},
         .tls = tls,
         .cors_allowed_origins = s.cors_allowed_origins,
         .request_observer =
             [&metrics](std::string_view route, unsigned status, std::chrono::nanoseconds took) {
                 metrics.observe(route, status, took);
             }},
        routes};
    const std::uint16_t port = server.listen();
    if (s.auth != api::auth_mode::off) {
        keys.start(io.get_executor(), key_reload_every, key_use_record_every);
    }
    events.start(io.get_executor());
    server.start();
    spdlog::info("streamscope-api listening on {}:{} ({}) with {} threads and {} database "
                 "connections ({}); API keys: {}",
                 s.host, port, tls ? "HTTPS" : "HTTP", s.threads, s.pool_size,
                 service.database.redacted(),
                 s.auth == api::auth_mode::off    ? "off (AUTH_MODE)"
                 : s.auth == api::auth_mode::keys ? "needed"
                                                  : "needed except to read");

    // SIGTERM or SIGINT drains; a second one during the drain stops at once. The signals and
    // the drain's end meet on one strand.
    const auto control = boost::asio::make_strand(io);
    boost::asio::signal_set signals{control, SIGINT, SIGTERM};
    bool draining = false;
    std::function<void(const boost::system::error_code&, int)> on_signal =
        [&](const boost::system::error_code& ec, int number) {
            if (ec) {
                return;
            }
            if (draining) {
                spdlog::warn("api server: signal {} again: stopping now", number);
                io.stop();
                return;
            }
            spdlog::info("api server: signal {}: stopping", number);
            draining = true;
            keys.stop();
            events.stop(); // the live feeds end, so that the drain need not wait for them
            server.stop(drain_grace, [&](bool drained) {
                boost::asio::post(control, [&] { signals.cancel(); });
                if (!drained) {
                    io.stop();
                }
            });
            signals.async_wait(on_signal);
        };
    signals.async_wait(on_signal);

    std::vector<std::thread> helpers;
    for (unsigned i = 1; i < s.threads; ++i) {
        helpers.emplace_back([&io] { io.run(); });
    }
    io.run();
    for (std::thread& t : helpers) {
        t.join();
    }
    spdlog::info("streamscope-api stopped");
    return cli::exit_ok;
}

} // namespace

int main(int argc, char** argv) {
    api::api_settings own;
    std::optional<config::settings> keys_settings; // NAME, SCOPE, EXPIRES for `keys create`
    cli::program_info program{"streamscope-api", usage, commands, "serve", "healthcheck"};
    program.commands_with_arguments = commands_with_arguments;
    program.load_own_settings = [&](std::string_view command, const config::settings& s,
                                    std::vector<std::string>& problems) {
        own = api::load_api_settings(s, problems);
        if (command == "keys") {
            keys_settings = s;
        }
    };
    const auto started = cli::start(program, options, argc, argv);
    if (const int* exit_code = std::get_if<int>(&started)) {
        return *exit_code;
    }
    const auto& run = std::get<cli::invocation>(started);
    if (run.command == "migrate") {
        return cli::run_migrate(run.settings.database, "streamscope-api");
    }
    if (run.command == "keys") {
        return api::run_keys_command(run.settings, *keys_settings, run.arguments);
    }
    if (run.command == "healthcheck") {
        return http::run_healthcheck("127.0.0.1", own.port, std::chrono::seconds(5),
                                     !own.tls_cert.empty());
    }
    try {
        return serve(run.settings, own);
    } catch (const std::exception& e) {
        spdlog::critical("streamscope-api failed: {}", e.what());
        return cli::exit_failure;
    }
}

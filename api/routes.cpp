#include "api/routes.hpp"

#include <pqxx/except>
#include <spdlog/spdlog.h>

#include "api/handlers/handlers.hpp"
#include "common/db/pool.hpp"
#include "common/http/access_log.hpp"
#include "common/http/response.hpp"

namespace streamscope::api {
namespace {

// A database that cannot be reached (or a query cut off by the statement timeout) is the
// client's 503, in the one error shape, not a 500. A value the database refuses (SQLSTATE class
// 22) came from the client, since handlers send nothing else: a 400, though without the
// parameter's name, which the parameter checks give and should have given. A pool whose
// connections are all busy with a full queue is a 503 with Retry-After, at once.
http::handler with_database_errors(http::handler inner) {
    return [inner = std::move(inner)](
               http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        std::string problem;
        bool refused_value = false;
        bool busy = false;
        try {
            co_return co_await inner(ctx);
        } catch (const db::pool_busy& e) {
            problem = e.what();
            busy = true;
        } catch (const pqxx::data_exception& e) {
            problem = e.what();
            refused_value = true;
        } catch (const pqxx::broken_connection& e) {
            problem = e.what();
        } catch (const pqxx::sql_error& e) {
            if (e.sqlstate() != "57014") { // query_canceled: the statement timeout
                throw;
            }
            problem = e.what();
        }
        if (refused_value) {
            spdlog::error("{}: the database refused a value of {} ({}); a parameter check should "
                          "have refused it by name: please report this",
                          ctx.route, http::loggable_target(ctx.req.target()), problem);
            co_return http::error_response(ctx.req, boost::beast::http::status::bad_request,
                                           "invalid_parameter",
                                           "a value is outside what the database accepts");
        }
        if (busy) {
            // Load, not failure: the metrics count these (db_pool_refused_total); a log line
            // per refusal would add to the load it reports.
            http::response res = http::error_response(
                ctx.req, boost::beast::http::status::service_unavailable, "database_busy",
                "every database connection is busy (" + problem + "); try again shortly");
            res.set(boost::beast::http::field::retry_after, "1");
            co_return res;
        }
        spdlog::warn("{}: the database did not answer ({}); check that PostgreSQL is up", ctx.route,
                     problem);
        co_return http::error_response(
            ctx.req, boost::beast::http::status::service_unavailable, "database_unavailable",
            "the database cannot be reached or timed out; try again later");
    };
}

} // namespace

void add_routes(http::router& routes, app& shared) {
    using boost::beast::http::verb;
    // Open to all: probes must not need a key.
    routes.add(verb::get, "/health", health_route(shared));
    // Answers change once per sweep: they are cached until the next. The key is checked before
    // the cache is asked.
    const auto per_sweep = [&](http::handler h) {
        return shared.auth.need(scope::read,
                                with_database_errors(shared.cache.cached(std::move(h))));
    };
    routes.add(verb::get, "/live/top", per_sweep(live_top_route(shared)));
    routes.add(verb::get, "/live/streams", per_sweep(live_streams_route(shared)));
    routes.add(verb::get, "/live/summary", per_sweep(live_summary_route(shared)));
    // The live feed: never cached, open for hours; each request counts once against the rate.
    const auto feeds = std::make_shared<running_slots>(shared.feeds.max_feeds);
    routes.add(
        verb::get, "/live/events",
        shared.auth.need(scope::read, with_database_errors(live_events_route(shared, feeds))));
    routes.add(verb::get, "/live/ws",
               shared.auth.need(scope::read, with_database_errors(live_ws_route(shared, feeds))));
    routes.add(verb::get, "/search/channels", per_sweep(search_channels_route(shared)));
    routes.add(verb::get, "/search/games", per_sweep(search_games_route(shared)));
    // A channel's figures change with sweeps too; a window's start moves on between them, so
    // a cached answer is at most one sweep interval behind at the window's old end.
    routes.add(verb::get, "/channels/{platform}/{login}", per_sweep(channel_route(shared)));
    routes.add(verb::get, "/channels/{platform}/{login}/history",
               per_sweep(channel_history_route(shared)));
    routes.add(verb::get, "/channels/{platform}/{login}/streams",
               per_sweep(channel_streams_route(shared)));
    // Rollups change with each sweep too.
    routes.add(verb::get, "/stats/summary", per_sweep(stats_summary_route(shared)));
    routes.add(verb::get, "/stats/games/top", per_sweep(stats_games_top_route(shared)));
    routes.add(verb::get, "/stats/games/trending", per_sweep(stats_games_trending_route(shared)));
    routes.add(verb::get, "/stats/channels/top", per_sweep(stats_channels_top_route(shared)));
    routes.add(verb::get, "/stats/channels/rising", per_sweep(stats_channels_rising_route(shared)));
    routes.add(verb::get, "/stats/languages", per_sweep(stats_languages_route(shared)));
    routes.add(verb::get, "/stats/platforms", per_sweep(stats_platforms_route(shared)));
    routes.add(verb::get, "/stats/heatmap", per_sweep(stats_heatmap_route(shared)));
    routes.add(verb::get, "/games/{platform}/{id}/history", per_sweep(game_history_route(shared)));
    // Streamed, never cached: a window's raw rows, possibly millions.
    routes.add(
        verb::get, "/export/snapshots",
        shared.auth.need(scope::export_data, with_database_errors(export_snapshots_route(shared))));
    routes.add(verb::get, "/metrics", shared.auth.need(scope::admin, metrics_route(shared)));
    // The description of the API is no secret, and /docs loads it without a key.
    routes.add(verb::get, "/openapi.json", openapi_route());
    routes.add(verb::get, "/docs", docs_route());
    // Keys are managed over HTTP only where keys are checked: with AUTH_MODE=off anyone could
    // call these, so they do not exist then (`streamscope-api keys` works in every mode).
    if (shared.auth.mode() != auth_mode::off) {
        const auto admin = [&](http::handler h) {
            return shared.auth.need(scope::admin, with_database_errors(std::move(h)));
        };
        routes.add(verb::get, "/admin/keys", admin(admin_keys_list_route(shared)));
        routes.add(verb::post, "/admin/keys", admin(admin_keys_create_route(shared)));
        routes.add(verb::delete_, "/admin/keys/{key}", admin(admin_keys_revoke_route(shared)));
        // Subscriptions belong to keys: without keys there is no one to own them.
        const auto subscriber = [&](http::handler h) {
            return shared.auth.need(scope::webhooks, with_database_errors(std::move(h)));
        };
        routes.add(verb::post, "/webhooks", subscriber(webhooks_create_route(shared)));
        routes.add(verb::get, "/webhooks", subscriber(webhooks_list_route(shared)));
        routes.add(verb::get, "/webhooks/{id}", subscriber(webhooks_get_route(shared)));
        routes.add(verb::delete_, "/webhooks/{id}", subscriber(webhooks_delete_route(shared)));
        routes.add(verb::get, "/webhooks/{id}/deliveries",
                   subscriber(webhooks_deliveries_route(shared)));
        routes.add(verb::post, "/webhooks/{id}/deliveries/{delivery}/replay",
                   subscriber(webhooks_replay_route(shared)));
    }
}

} // namespace streamscope::api

#pragma once
// The API's routes: what each one answers, registered on the router in one place so that the
// router and the OpenAPI document can be compared.

#include <chrono>
#include <string_view>

#include "api/cache/answer_cache.hpp"
#include "api/db/pool.hpp"
#include "api/http/router.hpp"
#include "api/metrics/request_metrics.hpp"

namespace streamscope::api {

// What handlers share. Outlives the server.
struct app {
    pool& db;
    request_metrics& metrics;
    answer_cache& cache;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

void add_routes(router& routes, app& shared);

// One handler per route (each in its own file).
handler health_route(app& shared);
handler live_top_route(app& shared);
handler live_streams_route(app& shared);
handler live_summary_route(app& shared);
handler search_channels_route(app& shared);
handler search_games_route(app& shared);
handler channel_route(app& shared);
handler channel_history_route(app& shared);
handler channel_streams_route(app& shared);
handler export_snapshots_route(app& shared);
handler stats_summary_route(app& shared);
handler stats_games_top_route(app& shared);
handler stats_games_trending_route(app& shared);
handler stats_channels_top_route(app& shared);
handler stats_channels_rising_route(app& shared);
handler stats_languages_route(app& shared);
handler stats_platforms_route(app& shared);
handler stats_heatmap_route(app& shared);
handler game_history_route(app& shared);
handler metrics_route(app& shared);
handler openapi_route();
handler docs_route();

// The OpenAPI document that /openapi.json serves (a test compares it with the router).
std::string_view openapi_document();

} // namespace streamscope::api

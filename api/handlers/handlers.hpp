#pragma once
// Every handler of the API, by the file that holds it: what the route table (api/routes.cpp)
// registers. A handler answers one route; those that read the database keep a reference to
// the shared context.

#include <memory>
#include <string_view>

#include "api/app.hpp"
#include "api/auth/running_slots.hpp"
#include "common/http/handler.hpp"

namespace streamscope::api {

// admin_keys.cpp: GET and POST /admin/keys, DELETE /admin/keys/{key}
http::handler admin_keys_list_route(app& shared);
http::handler admin_keys_create_route(app& shared);
http::handler admin_keys_revoke_route(app& shared);

// webhooks.cpp: POST and GET /webhooks, GET and DELETE /webhooks/{id},
// GET /webhooks/{id}/deliveries, POST /webhooks/{id}/deliveries/{delivery}/replay
http::handler webhooks_create_route(app& shared);
http::handler webhooks_list_route(app& shared);
http::handler webhooks_get_route(app& shared);
http::handler webhooks_delete_route(app& shared);
http::handler webhooks_deliveries_route(app& shared);
http::handler webhooks_replay_route(app& shared);

// health.cpp, metrics.cpp
http::handler health_route(app& shared);
http::handler metrics_route(app& shared);

// openapi.cpp: /openapi.json and /docs; openapi_document() is what /openapi.json serves (a
// test compares it with the router).
http::handler openapi_route();
http::handler docs_route();
std::string_view openapi_document();

// live/top.cpp, live/streams.cpp, live/summary.cpp, live/events.cpp
http::handler live_top_route(app& shared);
http::handler live_streams_route(app& shared);
http::handler live_summary_route(app& shared);
// The two live feeds share `slots` (API_MAX_FEEDS and the per-client limits).
http::handler live_events_route(app& shared, std::shared_ptr<running_slots> slots);
http::handler live_ws_route(app& shared, std::shared_ptr<running_slots> slots);

// search.cpp
http::handler search_channels_route(app& shared);
http::handler search_games_route(app& shared);

// channels.cpp: a channel's page, its /history and its /streams
http::handler channel_route(app& shared);
http::handler channel_history_route(app& shared);
http::handler channel_streams_route(app& shared);

// export.cpp
http::handler export_snapshots_route(app& shared);

// stats/: the /stats routes and a game's history, over the rollups
http::handler stats_summary_route(app& shared);
http::handler stats_games_top_route(app& shared);
http::handler stats_games_trending_route(app& shared);
http::handler stats_channels_top_route(app& shared);
http::handler stats_channels_rising_route(app& shared);
http::handler stats_languages_route(app& shared);
http::handler stats_platforms_route(app& shared);
http::handler stats_heatmap_route(app& shared);
http::handler game_history_route(app& shared);

} // namespace streamscope::api

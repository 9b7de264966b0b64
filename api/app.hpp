#pragma once
// What every handler shares: the database pool, the request metrics, the per-sweep answer
// cache, the API keys and who may call what, the live feeds' events, the limits of exports and
// feeds, and the time the server started. Made once in main and
// passed to each handler's factory by reference; it outlives the server.

#include <chrono>

#include "api/auth/guard.hpp"
#include "api/auth/key_store.hpp"
#include "api/auth/running_slots.hpp"
#include "api/cache/answer_cache.hpp"
#include "api/events/event_hub.hpp"
#include "api/events/feed_limits.hpp"
#include "api/metrics/request_metrics.hpp"
#include "common/db/pool.hpp"

namespace streamscope::api {

// What POST /webhooks checks: WEBHOOK_ALLOW_PRIVATE_TARGETS (the collector checks it again
// where it delivers).
struct webhook_settings {
    bool allow_private = false;
};

struct app {
    db::pool& db;
    request_metrics& metrics;
    answer_cache& cache;
    key_store& keys;
    const guard& auth;
    event_hub& events;
    export_settings exports = {};
    feed_limits feeds = {};
    webhook_settings webhooks = {};
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

} // namespace streamscope::api

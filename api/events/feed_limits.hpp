#pragma once
// How many live feeds (/live/events, /live/ws) this server holds open, and for whom.

#include <chrono>

#include "api/auth/client_address.hpp"
#include "api/events/event_hub.hpp"

namespace streamscope::api {

struct feed_limits {
    unsigned max_feeds = 1'000; // on this server (API_MAX_FEEDS)
    unsigned per_key = 5;       // by one API key (API_FEEDS_PER_KEY)
    unsigned anonymous_per_address =
        2; // AUTH_MODE=open-read, without a key (API_ANON_FEEDS_PER_IP)
    std::chrono::seconds heartbeat{15}; // a comment (SSE) or a ping (WebSocket) this often
    trusted_proxies proxies;            // who may name the client's address
    event_hub_settings hub;
};

} // namespace streamscope::api

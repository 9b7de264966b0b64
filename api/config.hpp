#pragma once
// The API server's own settings (the shared ones are in common/config/service_settings.hpp).

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "api/auth/client_address.hpp"
#include "api/auth/guard.hpp"
#include "api/auth/key_admin.hpp"
#include "api/auth/running_slots.hpp"
#include "api/events/feed_limits.hpp"
#include "common/config/settings.hpp"

namespace streamscope::api {

inline constexpr std::array api_options{
    config::option{"API_HOST", "0.0.0.0", "address to listen on"},
    config::option{"API_PORT", "8000", "port to listen on (also used by the healthcheck command)"},
    config::option{"API_THREADS", "0", "I/O threads; 0: one per core"},
    config::option{"API_DB_POOL_SIZE", "4",
                   "database connections (each with its own thread, never the I/O threads)"},
    config::option{"API_STATEMENT_TIMEOUT_MS", "5000", "server-side limit of every query"},
    config::option{"API_DB_QUEUE_LIMIT", "256",
                   "requests that may wait for a database connection; more are answered 503"},
    config::option{"API_DB_QUEUE_TIMEOUT_MS", "2000",
                   "longest wait for a database connection before a request is answered 503"},
    config::option{"API_MAX_CONNECTIONS", "1024", "concurrent client connections at most"},
    config::option{"API_MAX_CONNECTIONS_PER_IP", "128",
                   "of those, from one client address at most; 0: no such limit (behind a "
                   "reverse proxy every connection comes from the proxy)"},
    config::option{"API_CACHE_MB", "64",
                   "memory for cached answers, in MiB; the least recently used go first"},
    config::option{"AUTH_MODE", "off",
                   "off: no API keys; keys: every route but /health needs one; open-read: "
                   "reading needs none, export, /metrics and /admin need a key"},
    config::option{"API_KEY_RATE", "600",
                   "requests a minute for a key that sets none (in bursts of as many)"},
    config::option{"API_ANON_RATE", "60",
                   "with AUTH_MODE=open-read: requests a minute for each address without a key"},
    config::option{"TRUSTED_PROXIES", "",
                   "comma list of proxy addresses or networks (10.0.0.0/8) whose "
                   "X-Forwarded-For names the client; from others it is ignored"},
    config::option{"NAME", "", "keys create: whose key it is, e.g. \"research team\""},
    config::option{"SCOPE", "read", "keys create: read, export, webhooks or admin"},
    config::option{"RATE", "", "keys create: the key's requests a minute; empty: API_KEY_RATE"},
    config::option{"EXPORT_ROWS", "",
                   "keys create: the rows a day the key may export; empty: "
                   "API_EXPORT_ROWS_PER_DAY"},
    config::option{"EXPIRES", "",
                   "keys create: when the key stops working, a date (2027-01-01, at 00:00 "
                   "UTC) or an ISO 8601 time; empty: never"},
    config::option{"API_MAX_EXPORTS", "4",
                   "exports running at once on this server; more are answered 503"},
    config::option{"API_EXPORTS_PER_KEY", "2",
                   "of those, by one API key at once; more are answered 429"},
    config::option{"API_EXPORT_ROWS_PER_DAY", "20000000",
                   "rows a key may export each day (UTC) unless it has its own quota; 0: no "
                   "quota"},
    config::option{"API_EXPORT_MIN_RATE_KB", "16",
                   "an export's client must read it at least this fast on average (KiB a "
                   "second, after API_EXPORT_GRACE_SECONDS) or it is cut off; 0: no floor"},
    config::option{"API_EXPORT_GRACE_SECONDS", "10",
                   "how long an export's client may fall behind API_EXPORT_MIN_RATE_KB"},
    config::option{"API_MAX_FEEDS", "1000",
                   "live feeds (/live/events, /live/ws) open at once on this server; more are "
                   "answered 503 (each is a connection: see API_MAX_CONNECTIONS)"},
    config::option{"API_FEEDS_PER_KEY", "5", "of those, by one API key at once; more are 429"},
    config::option{"API_ANON_FEEDS_PER_IP", "2",
                   "with AUTH_MODE=open-read: live feeds of one address without a key"},
    config::option{"API_EVENTS_BUFFER", "20000",
                   "the newest events held in memory for the live feeds; a feed that falls "
                   "further behind is cut off (and may resume)"},
    config::option{"API_EVENTS_BUFFER_MB", "32", "the most memory those events may take"},
    config::option{"API_FEED_HEARTBEAT_SECONDS", "15",
                   "a quiet live feed sends a comment (SSE) this often; a WebSocket is pinged"},
    config::option{"API_TLS_CERT", "",
                   "HTTPS on API_PORT: the PEM certificate chain (the server's certificate "
                   "first); with API_TLS_KEY. Empty: plain HTTP (behind a reverse proxy)"},
    config::option{"API_TLS_KEY", "", "HTTPS on API_PORT: the certificate's PEM private key"},
    config::option{"WEBHOOK_ALLOW_PRIVATE_TARGETS", "false",
                   "true: POST /webhooks accepts loopback and private addresses and plain http "
                   "(tests, a closed network); set the collector's alike"},
    config::option{"CORS_ALLOWED_ORIGINS", "",
                   "comma list of origins allowed to call the API from a browser, * for any; "
                   "empty: none (browsers on other sites cannot read its answers)"},
};

// Filled by load_api_settings from the option table, which holds every default.
struct api_settings {
    std::string host;
    std::uint16_t port = 0;
    unsigned threads = 0; // one per core when API_THREADS is 0
    unsigned pool_size = 0;
    std::chrono::milliseconds statement_timeout{};
    std::size_t db_queue_limit = 0;
    std::chrono::milliseconds db_queue_timeout{};
    std::size_t max_connections = 0;
    std::size_t max_connections_per_ip = 0;
    std::size_t cache_bytes = 0;
    std::vector<std::string> cors_allowed_origins;
    auth_mode auth = auth_mode::off;
    unsigned key_rate = 0;
    unsigned anonymous_rate = 0;
    trusted_proxies proxies;
    export_settings exports;
    feed_limits feeds;
    std::string tls_cert; // both empty: plain HTTP
    std::string tls_key;
    std::uint64_t export_min_bytes_per_second = 0;
    std::chrono::seconds export_grace{};
    bool webhook_allow_private = false;
};

// What `keys create` makes, from NAME, SCOPE and EXPIRES.
key_request load_key_request(const config::settings& s, std::vector<std::string>& problems);

// Validates; one line per problem.
api_settings load_api_settings(const config::settings& s, std::vector<std::string>& problems);

} // namespace streamscope::api

#include "api/config.hpp"

#include <thread>

#include <boost/asio/ip/address.hpp>

#include "common/config/values.hpp"

namespace streamscope::api {

api_settings load_api_settings(const config::settings& s, std::vector<std::string>& problems) {
    api_settings out;
    out.host = s.get("API_HOST").value_or("");
    boost::system::error_code ec;
    boost::asio::ip::make_address(out.host, ec);
    if (ec) {
        problems.push_back("API_HOST must be an IP address, got '" + out.host + "'");
    }
    config::read_integer(s, "API_PORT", 0, 65535, out.port, problems);
    config::read_integer(s, "API_THREADS", 0, 256, out.threads, problems);
    if (out.threads == 0) {
        out.threads = std::max(1u, std::thread::hardware_concurrency());
    }
    config::read_integer(s, "API_DB_POOL_SIZE", 1, 100, out.pool_size, problems);
    std::int64_t timeout_ms = 0;
    config::read_integer(s, "API_STATEMENT_TIMEOUT_MS", 100, 600'000, timeout_ms, problems);
    out.statement_timeout = std::chrono::milliseconds(timeout_ms);
    config::read_integer(s, "API_DB_QUEUE_LIMIT", 1, 100'000, out.db_queue_limit, problems);
    std::int64_t queue_timeout_ms = 0;
    config::read_integer(s, "API_DB_QUEUE_TIMEOUT_MS", 10, 600'000, queue_timeout_ms, problems);
    out.db_queue_timeout = std::chrono::milliseconds(queue_timeout_ms);
    config::read_integer(s, "API_MAX_CONNECTIONS", 1, 100'000, out.max_connections, problems);
    config::read_integer(s, "API_MAX_CONNECTIONS_PER_IP", 0, 100'000, out.max_connections_per_ip,
                         problems);
    std::size_t cache_mb = 0;
    config::read_integer(s, "API_CACHE_MB", 1, 1'048'576, cache_mb, problems);
    out.cache_bytes = cache_mb << 20;
    for (std::string& origin : config::list_setting(s, "CORS_ALLOWED_ORIGINS")) {
        if (origin != "*" && !origin.starts_with("http://") && !origin.starts_with("https://")) {
            problems.push_back("CORS_ALLOWED_ORIGINS: '" + origin +
                               "' is not * or an http(s):// origin");
            continue;
        }
        out.cors_allowed_origins.push_back(std::move(origin));
    }
    config::read_integer(s, "API_MAX_FEEDS", 0, 1'000'000, out.feeds.max_feeds, problems);
    config::read_integer(s, "API_FEEDS_PER_KEY", 1, 100'000, out.feeds.per_key, problems);
    config::read_integer(s, "API_ANON_FEEDS_PER_IP", 0, 100'000, out.feeds.anonymous_per_address,
                         problems);
    config::read_integer(s, "API_EVENTS_BUFFER", 100, 10'000'000, out.feeds.hub.max_events,
                         problems);
    unsigned heartbeat_s = 0;
    config::read_integer(s, "API_FEED_HEARTBEAT_SECONDS", 1, 300, heartbeat_s, problems);
    out.feeds.heartbeat = std::chrono::seconds(heartbeat_s);
    std::size_t buffer_mb = 0;
    config::read_integer(s, "API_EVENTS_BUFFER_MB", 1, 65'536, buffer_mb, problems);
    out.feeds.hub.max_bytes = buffer_mb << 20;
    config::read_integer(s, "API_MAX_EXPORTS", 1, 1'000, out.exports.max_running, problems);
    config::read_integer(s, "API_EXPORTS_PER_KEY", 1, 1'000, out.exports.per_key, problems);
    config::read_integer(s, "API_EXPORT_ROWS_PER_DAY", 0, max_export_rows_per_day,
                         out.exports.rows_per_day, problems);
    std::uint64_t min_rate_kb = 0;
    config::read_integer(s, "API_EXPORT_MIN_RATE_KB", 0, 10'000'000, min_rate_kb, problems);
    out.export_min_bytes_per_second = min_rate_kb * 1024;
    std::int64_t grace_s = 0;
    config::read_integer(s, "API_EXPORT_GRACE_SECONDS", 0, 3'600, grace_s, problems);
    out.export_grace = std::chrono::seconds(grace_s);
    out.tls_cert = s.get("API_TLS_CERT").value_or("");
    out.tls_key = s.get("API_TLS_KEY").value_or("");
    if (out.tls_cert.empty() != out.tls_key.empty()) {
        problems.push_back("API_TLS_CERT and API_TLS_KEY go together: set both for HTTPS, or "
                           "neither for plain HTTP");
    }
    config::read_integer(s, "API_KEY_RATE", 1, 1'000'000, out.key_rate, problems);
    config::read_integer(s, "API_ANON_RATE", 1, 1'000'000, out.anonymous_rate, problems);
    std::string bad;
    if (auto proxies = trusted_proxies::parse(config::list_setting(s, "TRUSTED_PROXIES"), bad)) {
        out.proxies = std::move(*proxies);
        out.feeds.proxies = out.proxies;
    } else {
        problems.push_back("TRUSTED_PROXIES: '" + bad +
                           "' is not an IP address or a network such as 10.0.0.0/8");
    }
    const std::string mode = s.get("AUTH_MODE").value_or("");
    if (const auto parsed = parse_auth_mode(mode)) {
        out.auth = *parsed;
    } else {
        problems.push_back("AUTH_MODE must be off, keys or open-read, got '" + mode + "'");
    }
    config::read_flag(s, "WEBHOOK_ALLOW_PRIVATE_TARGETS", out.webhook_allow_private, problems);
    return out;
}

key_request load_key_request(const config::settings& s, std::vector<std::string>& problems) {
    key_request out;
    out.name = s.get("NAME").value_or("");
    const std::string scope_text = s.get("SCOPE").value_or("");
    if (const auto parsed = parse_scope(scope_text)) {
        out.allowed = *parsed;
    } else {
        problems.push_back("SCOPE must be read, export, webhooks or admin, got '" + scope_text +
                           "'");
    }
    if (!s.get("RATE").value_or("").empty()) {
        config::read_integer(s, "RATE", 1, 1'000'000, out.requests_per_minute, problems);
    }
    if (!s.get("EXPORT_ROWS").value_or("").empty()) {
        config::read_integer(s, "EXPORT_ROWS", 1, max_export_rows_per_day, out.export_rows_per_day,
                             problems);
    }
    const std::string expires = s.get("EXPIRES").value_or("");
    if (!expires.empty()) {
        out.expires_at = parse_expiry(expires);
        if (!out.expires_at) {
            problems.push_back("EXPIRES must be a date (2027-01-01) or an ISO 8601 time, got '" +
                               expires + "'");
        }
    }
    const auto now =
        std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
    if (const auto problem = key_request_problem(out, now)) {
        std::string line = problem->starts_with("name")          ? "NAME"
                           : problem->starts_with("rate")        ? "RATE"
                           : problem->starts_with("export_rows") ? "EXPORT_ROWS"
                                                                 : "EXPIRES";
        line += problem->substr(problem->find(':'));
        problems.push_back(std::move(line));
    }
    return out;
}

} // namespace streamscope::api

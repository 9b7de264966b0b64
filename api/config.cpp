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
    return out;
}

} // namespace streamscope::api

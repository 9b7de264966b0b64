#include "api/config.hpp"

#include <thread>

#include <boost/asio/ip/address.hpp>

#include "common/config/values.hpp"

namespace streamscope::api {
namespace {

long long integer(const config::settings& s, std::string_view name, long long min, long long max,
                  long long fallback, std::vector<std::string>& problems) {
    return config::integer_setting(s, name, min, max, problems).value_or(fallback);
}

} // namespace

api_settings load_api_settings(const config::settings& s, std::vector<std::string>& problems) {
    api_settings out;
    out.host = s.get("API_HOST").value_or("0.0.0.0");
    boost::system::error_code ec;
    boost::asio::ip::make_address(out.host, ec);
    if (ec) {
        problems.push_back("API_HOST must be an IP address, got '" + out.host + "'");
    }
    out.port = static_cast<std::uint16_t>(integer(s, "API_PORT", 0, 65535, 8000, problems));
    out.threads = static_cast<unsigned>(integer(s, "API_THREADS", 0, 256, 0, problems));
    if (out.threads == 0) {
        out.threads = std::max(1u, std::thread::hardware_concurrency());
    }
    out.pool_size = static_cast<unsigned>(integer(s, "API_DB_POOL_SIZE", 1, 100, 4, problems));
    out.statement_timeout = std::chrono::milliseconds(
        integer(s, "API_STATEMENT_TIMEOUT_MS", 100, 600'000, 5000, problems));
    out.max_connections =
        static_cast<std::size_t>(integer(s, "API_MAX_CONNECTIONS", 1, 100'000, 1024, problems));
    out.cors_allowed_origins.clear();
    for (std::string& origin : config::list_setting(s, "CORS_ALLOWED_ORIGINS", "*")) {
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

#include "collector/daemon/health_server.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>

#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>

#include "collector/daemon/metrics.hpp"
#include "common/http/response.hpp"
#include "common/json/text.hpp"
#include "common/time/seconds_between.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::collector {
namespace {

namespace asio = boost::asio;
using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;
using namespace std::chrono_literals;
using std::chrono::system_clock;

// Limits next to the I/O they guard. Probes send a few hundred bytes: anything much larger is
// not a probe, and a client that goes quiet holds a session for at most the read timeout.
constexpr auto read_timeout = 10s; // one request, or the wait for the next on a kept-alive one
constexpr std::uint32_t header_limit = 8 * 1024;
constexpr std::uint64_t body_limit = 8 * 1024;
constexpr std::size_t max_sessions = 64;

// Seconds to the millisecond: finer digits are noise for a probe.
boost::json::value seconds(double s) {
    if (!std::isfinite(s)) {
        return nullptr;
    }
    return std::round(s * 1000.0) / 1000.0;
}

boost::json::value rfc3339(std::optional<system_clock::time_point> t) {
    if (!t) {
        return nullptr;
    }
    return boost::json::string(
        time::format_rfc3339(std::chrono::time_point_cast<std::chrono::microseconds>(*t)));
}

// Probes and scrapers want the state now, never a cached copy.
http::response uncached(http::response res) {
    res.set(field::cache_control, "no-store");
    return res;
}

http::handler health_route(const collector_status& s) {
    return [&s](http::request_context& ctx) -> asio::awaitable<http::response> {
        const auto now = system_clock::now();
        co_return uncached(
            http::json_response(ctx.req, health_json(s, now),
                                is_healthy(s, now) ? status::ok : status::service_unavailable));
    };
}

http::handler metrics_route(const collector_status& s) {
    return [&s](http::request_context& ctx) -> asio::awaitable<http::response> {
        http::response res = http::json_response(ctx.req, metrics_text(s, system_clock::now()));
        res.set(field::content_type, "text/plain; version=0.0.4");
        co_return uncached(std::move(res));
    };
}

std::uint64_t largest_body(const std::vector<extra_route>& extra) {
    std::uint64_t out = body_limit;
    for (const extra_route& r : extra) {
        out = std::max(out, r.body_limit);
    }
    return out;
}

std::string endpoint_text(const asio::ip::tcp::endpoint& where) {
    std::ostringstream text;
    text << where.address();
    return text.str();
}

} // namespace

std::string health_json(const collector_status& s, system_clock::time_point now) {
    boost::json::object out;
    out["status"] = is_healthy(s, now) ? "ok" : "failing";
    out["database"] = s.database_up ? "up" : "down";
    out["spool"] = {{"bytes", s.spool_bytes}, {"files", s.spool_files}};
    boost::json::object& platforms = out["platforms"].emplace_object();
    for (const auto& [platform, p] : s.platforms) {
        boost::json::object entry;
        entry["status"] = p.current_role == role::stopped    ? "stopped"
                          : is_healthy(p, s.started_at, now) ? "ok"
                                                             : "failing";
        entry["role"] = to_string(p.current_role);
        if (p.current_role == role::stopped) {
            entry["stopped_because"] = p.stopped_because;
        }
        if (p.last_sweep) {
            const sweep_summary& sweep = *p.last_sweep;
            entry["last_sweep"] = {
                {"started_at", rfc3339(sweep.started_at)},
                {"finished_at", rfc3339(sweep.finished_at)},
                {"status", sweep.status},
                {"streams", sweep.streams},
                {"pages", sweep.pages},
                {"spooled", sweep.spooled},
                {"age_s", seconds(time::seconds_between(sweep.finished_at, now))},
            };
        } else {
            entry["last_sweep"] = nullptr;
        }
        entry["leader_last_sweep_at"] = rfc3339(p.leader_last_sweep_at);
        if (p.token_expires_at) {
            // Whole seconds, rounded down: a token with 0.5 s left is as good as expired.
            entry["token_expires_in_s"] =
                std::chrono::floor<std::chrono::seconds>(*p.token_expires_at - now).count();
        } else {
            entry["token_expires_in_s"] = nullptr;
        }
        entry["interval_s"] = seconds(p.interval.count());
        if (p.quota) {
            const quota_report& q = *p.quota;
            entry["quota"] = {
                {"day", q.day},
                {"daily_units", q.daily_quota},
                {"spent_units", q.spent},
                {"left_units", std::max<std::int64_t>(0, q.daily_quota - q.spent)},
                {"projected_units", q.projected},
                {"exhausted", q.exhausted},
            };
        }
        platforms[model::to_string(platform)] = std::move(entry);
    }
    return json::serialize(out);
}

health_server::health_server(asio::io_context::executor_type executor,
                             const collector_status& status, asio::ip::tcp::endpoint where,
                             std::vector<extra_route> extra)
    : server_(std::move(executor),
              {.name = "health server",
               .host = endpoint_text(where),
               .port = where.port(),
               .max_connections = max_sessions,
               .header_limit = header_limit,
               .body_limit = largest_body(extra),
               .read_timeout = read_timeout,
               .idle_timeout = read_timeout,
               .cors_allowed_origins = {},
               .log_requests = false,
               .request_observer = {}},
              routes_) {
    routes_.add(verb::get, "/health", health_route(status));
    routes_.add(verb::get, "/metrics", metrics_route(status));
    for (extra_route& r : extra) {
        routes_.add(r.method, std::move(r.path), std::move(r.target));
    }
}

} // namespace streamscope::collector

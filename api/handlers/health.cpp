// GET /health: is the database reachable, which schema version does it hold, how old is each
// platform's last complete sweep. 200 when the database answers, 503 when it does not.

#include <cmath>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "api/handlers/handlers.hpp"
#include "common/http/response.hpp"
#include "common/json/text.hpp"

namespace streamscope::api {
namespace {

constexpr const char* health_sql = R"(
SELECT (SELECT max(version) FROM schema_migrations),
       (SELECT json_object_agg(p.name, extract(epoch FROM now() - w.last)::float8)
          FROM (SELECT platform_id, max(started_at) AS last FROM sweeps
                 WHERE status = 'complete' GROUP BY platform_id) w
          JOIN platforms p ON p.id = w.platform_id))";

struct health_facts {
    int schema_version = 0;
    std::string sweep_ages; // a JSON object, or "" when there is no sweep
};

} // namespace

http::handler health_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        boost::json::object body;
        const double uptime =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - shared.started)
                .count();
        body["uptime_s"] = std::round(uptime * 10) / 10;
        bool up = true;
        try {
            const health_facts facts = co_await shared.db.run([](pqxx::connection& c) {
                pqxx::read_transaction tx{c};
                const auto row = tx.exec(health_sql)[0];
                return health_facts{row[0].is_null() ? 0 : row[0].as<int>(),
                                    row[1].is_null() ? std::string() : row[1].as<std::string>()};
            });
            body["database"] = "up";
            body["schema_version"] = facts.schema_version;
            body["last_complete_sweep_age_s"] = facts.sweep_ages.empty()
                                                    ? boost::json::value(boost::json::object())
                                                    : boost::json::parse(facts.sweep_ages);
        } catch (const std::exception& e) {
            up = false;
            spdlog::warn("/health: the database does not answer ({}); check DATABASE_URL and "
                         "that PostgreSQL is running",
                         e.what());
            body["database"] = "down";
        }
        body["status"] = up ? "ok" : "failing";
        co_return http::json_response(ctx.req, body,
                                      up ? boost::beast::http::status::ok
                                         : boost::beast::http::status::service_unavailable);
    };
}

} // namespace streamscope::api

// GET /games/{platform}/{id}/history?window=|from=&to=&resolution=1h|1d&format= — a game's
// hours or days: hours watched, average and peak viewers and channels. The resolution follows
// the window's length (hours under 7 days) unless given.

#include <array>
#include <optional>

#include <boost/json/array.hpp>
#include <pqxx/pqxx>

#include "api/format/csv.hpp"
#include "api/format/timestamps.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/stats/rollup_window.hpp"
#include "api/params/platform.hpp"
#include "common/http/response.hpp"

namespace streamscope::api {
namespace {

using namespace stats;
namespace json = boost::json;

// $1, $2: the window's hours; $3: the platform's id; $4: the game's id on the platform. The
// game's rows of rollup_game_hours (its primary key, game and hour), each with the time the
// collector covered in its hour.
constexpr std::string_view game_hours_sql = R"(
SELECT (extract(epoch FROM r.hour) * 1000000)::bigint, r.watched_ms,
       (SELECT h.covered_ms FROM rollup_platform_hours h
         WHERE h.platform_id = r.platform_id AND h.hour = r.hour),
       r.peak_viewers, r.channel_ms, r.peak_channels, g.name
  FROM rollup_game_hours r JOIN games g ON g.id = r.game_id
 WHERE g.platform_id = $3 AND g.platform_game_id = $4
   AND r.hour >= $1::timestamptz AND r.hour < $2::timestamptz
 ORDER BY 1)";

// The same over days ($1, $2): rollup_game_days (game and day), each day with the time the
// collector covered in its hours.
constexpr std::string_view game_days_sql = R"(
SELECT (extract(epoch FROM (r.day::timestamp AT TIME ZONE 'UTC')) * 1000000)::bigint,
       r.watched_ms,
       (SELECT sum(h.covered_ms) FROM rollup_platform_hours h
         WHERE h.platform_id = r.platform_id AND h.hour >= r.day::timestamp AT TIME ZONE 'UTC'
           AND h.hour < (r.day + 1)::timestamp AT TIME ZONE 'UTC'),
       r.peak_viewers, r.channel_ms, r.peak_channels, g.name
  FROM rollup_game_days r JOIN games g ON g.id = r.game_id
 WHERE g.platform_id = $3 AND g.platform_game_id = $4 AND r.day >= $1::date AND r.day < $2::date
 ORDER BY 1)";

constexpr std::string_view game_name_sql =
    "SELECT name FROM games WHERE platform_id = $1 AND platform_game_id = $2";

constexpr std::array<std::string_view, 2> resolutions{"1h", "1d"};

} // namespace

http::handler game_history_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query, {"window", "from", "to", "resolution", "format"});
        const stats_params c = read_stats_params(params, false);
        const std::string platform = ctx.path_params["platform"];
        const std::string game_id = ctx.path_params["id"];
        const auto resolution = params.one_of("resolution", resolutions);
        if (platform_id(platform) == 0) {
            params.reject("platform", "must be one of: " + model::platform_names());
        }
        if (const auto& bad = params.error()) {
            co_return invalid_parameter(ctx.req, *bad);
        }
        rollup_window w = c.window;
        if (resolution == "1d" && !w.days) {
            w = day_bounds(w.at);
        } else if (resolution == "1h" && w.days) {
            w = hour_bounds(w.at);
        }
        std::optional<json::object> answer =
            co_await shared.db.run([&](pqxx::connection& conn) -> std::optional<json::object> {
                pqxx::read_transaction tx{conn};
                const auto name =
                    tx.exec_params(std::string(game_name_sql), platform_id(platform), game_id);
                if (name.empty()) {
                    return std::nullopt;
                }
                json::array data;
                for (const auto& row :
                     tx.exec_params(std::string(w.days ? game_days_sql : game_hours_sql), w.from,
                                    w.to, platform_id(platform), game_id)) {
                    const double covered_ms = or_zero(row[2]);
                    const double watched = row[1].as<double>();
                    data.push_back(json::object{
                        {"time", rfc3339_us(row[0].as<std::int64_t>())},
                        {"hours_watched", hours_of(watched)},
                        {"avg_viewers", rounded(covered_ms > 0 ? watched / covered_ms : 0)},
                        {"peak_viewers", row[3].as<std::int64_t>()},
                        {"avg_channels",
                         rounded(covered_ms > 0 ? row[4].as<double>() / covered_ms : 0)},
                        {"peak_channels", row[5].as<std::int64_t>()}});
                }
                json::object meta = window_meta(w);
                meta["platform"] = platform;
                meta["game_id"] = game_id;
                meta["game_name"] = name[0][0].as<std::string>();
                return json::object{{"data", std::move(data)}, {"meta", std::move(meta)}};
            });
        if (!answer) {
            co_return http::error_response(ctx.req, boost::beast::http::status::not_found,
                                           "not_found",
                                           "no game with this id has been seen on this platform");
        }
        co_return list_response(ctx.req, c.format, std::move(*answer), "game-history.csv");
    };
}

} // namespace streamscope::api

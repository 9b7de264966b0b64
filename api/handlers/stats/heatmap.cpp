// GET /stats/heatmap?window=|from=&to=&platform=&game=|channel=&tz=&format= — average
// concurrent viewers per local weekday and hour (in tz): watched time over the time the
// collector covered in those hours, for every stream, a game's or a channel's. From the hour
// rollups, `from` floored to the hour, whatever the window's length.

#include <optional>

#include <boost/json/array.hpp>
#include <pqxx/pqxx>

#include "api/format/csv.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/stats/rollup_window.hpp"
#include "api/handlers/stats/statement.hpp"
#include "common/http/response.hpp"

namespace streamscope::api {
namespace {

using namespace stats;
namespace json = boost::json;

// $1, $2: the window's hours; $3: a platform name or ''; $4: the game or channel, '' for every
// stream; $5: the time zone. Every hour the collector covered (rollup_platform_hours, through
// its index on the hour) joined to the watched time of {source} in it; {folded_only}: a
// condition on those hours. Each platform's average is over the time it was covered; the
// platforms' averages add up, and a cell's samples are the hours of its best-covered platform.
constexpr std::string_view heatmap_sql = R"(
WITH src AS ({source}),
per_platform AS (
    SELECT extract(isodow FROM h.hour AT TIME ZONE $5)::int AS weekday,
           extract(hour FROM h.hour AT TIME ZONE $5)::int AS hour,
           sum(COALESCE(s.watched_ms, 0))::float8 / NULLIF(sum(h.covered_ms), 0) AS avg,
           count(*) AS samples
      FROM rollup_platform_hours h
      LEFT JOIN src s ON s.platform_id = h.platform_id AND s.hour = h.hour
      JOIN platforms p ON p.id = h.platform_id
     WHERE h.hour >= $1::timestamptz AND h.hour < $2::timestamptz {folded_only}
       AND ($3 = '' OR p.name = $3)
     GROUP BY 1, 2, h.platform_id),
cells AS (
    SELECT weekday, hour, sum(avg) AS avg, max(samples) AS samples
      FROM per_platform
     GROUP BY 1, 2)
SELECT weekday, hour, avg, samples FROM cells ORDER BY weekday, hour)";

// Every stream's hours: the platforms' own.
constexpr std::string_view hours_of_all_streams = R"(
    SELECT r.platform_id, r.hour, r.watched_ms
      FROM rollup_platform_hours r
     WHERE $4::text = '')";
// A game's hours (rollup_game_hours' primary key), by id or by name.
constexpr std::string_view hours_of_game = R"(
    SELECT r.platform_id, r.hour, r.watched_ms
      FROM rollup_game_hours r JOIN games g ON g.id = r.game_id
     WHERE (g.platform_game_id = $4 OR lower(g.name) = lower($4)))";
// A channel's hours (rollup_channel_hours' primary key), summed over its games and languages.
constexpr std::string_view hours_of_channel = R"(
    SELECT r.platform_id, r.hour, sum(r.watched_ms) AS watched_ms
      FROM rollup_channel_hours r JOIN channels ch ON ch.id = r.channel_id
     WHERE (ch.login = $4 OR ch.login = lower($4))
     GROUP BY 1, 2)";

const std::string heatmap_of_all_sql =
    compose(heatmap_sql, {{"source", hours_of_all_streams}, {"folded_only", ""}});
const std::string heatmap_of_game_sql =
    compose(heatmap_sql, {{"source", hours_of_game}, {"folded_only", ""}});
// A channel's hours come with the hour's fold (sql/migrations/0007): the hours not folded yet are
// left out, not counted as hours it was off.
const std::string heatmap_of_channel_sql = compose(
    heatmap_sql, {{"source", hours_of_channel}, {"folded_only", "AND h.folded_at IS NOT NULL"}});

// Cheaper than a look-up in pg_timezone_names (which reads the zone files): PostgreSQL refuses
// an unknown zone with SQLSTATE 22023.
constexpr std::string_view check_time_zone_sql = "SELECT now() AT TIME ZONE $1";

} // namespace

http::handler stats_heatmap_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(
            ctx.query, {"window", "from", "to", "platform", "game", "channel", "tz", "format"});
        const stats_params c = read_stats_params(params, false);
        const std::string game = params.text("game").value_or("");
        const std::string channel = params.text("channel").value_or("");
        const std::string tz = params.text("tz").value_or("UTC");
        if (!game.empty() && !channel.empty()) {
            params.reject("channel", "give game or channel, not both");
        }
        if (tz.size() > 64) {
            params.reject("tz", "an IANA time zone name such as Europe/Berlin");
        }
        if (const auto& bad = params.error()) {
            co_return invalid_parameter(ctx.req, *bad);
        }
        const rollup_window w = hour_bounds(c.window.at);
        const std::string& sql = !game.empty()      ? heatmap_of_game_sql
                                 : !channel.empty() ? heatmap_of_channel_sql
                                                    : heatmap_of_all_sql;
        std::optional<json::object> answer =
            co_await shared.db.run([&](pqxx::connection& conn) -> std::optional<json::object> {
                pqxx::read_transaction tx{conn};
                try {
                    tx.exec_params(std::string(check_time_zone_sql), tz);
                } catch (const pqxx::sql_error& e) {
                    if (e.sqlstate() == "22023") {
                        return std::nullopt;
                    }
                    throw;
                }
                json::array data;
                for (const auto& row : tx.exec_params(sql, w.from, w.to, c.platform,
                                                      game.empty() ? channel : game, tz)) {
                    data.push_back(json::object{{"weekday", row[0].as<int>()},
                                                {"hour", row[1].as<int>()},
                                                {"avg_viewers", rounded(or_zero(row[2]))},
                                                {"hours_sampled", row[3].as<std::int64_t>()}});
                }
                json::object meta = window_meta(w);
                meta["tz"] = tz;
                meta["weekday"] = "ISO: 1 Monday .. 7 Sunday, in tz";
                return json::object{{"data", std::move(data)}, {"meta", std::move(meta)}};
            });
        if (!answer) {
            co_return http::error_response(ctx.req, boost::beast::http::status::bad_request,
                                           "invalid_parameter",
                                           "not a time zone PostgreSQL knows; an IANA name such as "
                                           "Europe/Berlin",
                                           "tz");
        }
        co_return list_response(ctx.req, c.format, std::move(*answer), "stats-heatmap.csv");
    };
}

} // namespace streamscope::api

// GET /stats/games/top?window=|from=&to=&platform=&sort=&limit=&format= — games ranked by hours
// watched, average concurrent viewers, peak viewers or average channels.
// GET /stats/games/trending?...&min_avg_viewers= — games ranked by the growth of their average
// viewers against the previous window of the same length.

#include <algorithm>
#include <array>

#include <boost/json/array.hpp>
#include <pqxx/pqxx>

#include "api/format/csv.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/stats/rollup_window.hpp"
#include "api/handlers/stats/statement.hpp"

namespace streamscope::api {
namespace {

using namespace stats;
namespace json = boost::json;

// Per game of {rollup} (rollup_game_hours or rollup_game_days, read through their index on
// the hour or day) whose rows meet {in_window}, on platform $3: hours watched and streamed,
// peaks, and the averages over the time covered, from the CTE {covered}.
constexpr std::string_view game_figures = R"(
    SELECT r.game_id, r.platform_id, sum(r.watched_ms)::float8 AS watched,
           sum(r.channel_ms)::float8 AS channel_ms, max(r.peak_viewers) AS peak_viewers,
           max(r.peak_channels) AS peak_channels,
           sum(r.watched_ms)::float8 / NULLIF(max(c.ms), 0) AS avg_viewers,
           sum(r.channel_ms)::float8 / NULLIF(max(c.ms), 0) AS avg_channels
      FROM {rollup} r JOIN {covered} c USING (platform_id)
     WHERE {in_window}
       AND ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3))
     GROUP BY r.game_id, r.platform_id)";

// $1, $2: the window; $3: a platform name or ''; $4: the limit. {order}: the ranking key.
constexpr std::string_view games_top_sql = R"(
WITH {covered_now},
f AS ({figures_now})
SELECT f.*, g.platform_game_id, g.name, p.name AS platform
  FROM f JOIN games g ON g.id = f.game_id JOIN platforms p ON p.id = f.platform_id
 ORDER BY {order}, g.id
 LIMIT $4)";

// Growth of average viewers against the previous window of the same length ($5 to $1); games
// below the size threshold ($6) now, or absent before, do not qualify (noise).
constexpr std::string_view games_trending_sql = R"(
WITH {covered_now}, {covered_prev},
now_f AS ({figures_now}),
prev_f AS ({figures_prev})
SELECT n.*, g.platform_game_id, g.name, p.name AS platform,
       pr.avg_viewers AS prev_avg_viewers,
       (n.avg_viewers - pr.avg_viewers) / pr.avg_viewers AS growth
  FROM now_f n JOIN prev_f pr USING (game_id, platform_id)
  JOIN games g ON g.id = n.game_id JOIN platforms p ON p.id = n.platform_id
 WHERE n.avg_viewers >= $6 AND pr.avg_viewers > 0
 ORDER BY growth DESC, g.id
 LIMIT $4)";

// sort= and the key it ranks by, in the same order.
constexpr std::array<std::string_view, 4> game_sorts{"hours_watched", "avg_viewers", "peak_viewers",
                                                     "channels"};
constexpr std::array<std::string_view, 4> game_orders{"watched DESC", "avg_viewers DESC",
                                                      "peak_viewers DESC", "avg_channels DESC"};

// What differs between the hour and the day rollups of games: the table, the covered time,
// and the conditions on the window's rows and the previous window's.
struct game_rollup {
    std::string_view table;
    std::string_view covered;
    std::string_view now;
    std::string_view previous;
};
constexpr game_rollup games_over_hours{"rollup_game_hours", covered_by_hours,
                                       "r.hour >= $1::timestamptz AND r.hour < $2::timestamptz",
                                       "r.hour >= $5::timestamptz AND r.hour < $1::timestamptz"};
constexpr game_rollup games_over_days{"rollup_game_days", covered_by_days,
                                      "r.day >= $1::date AND r.day < $2::date",
                                      "r.day >= $5::date AND r.day < $1::date"};

// Every statement of the two routes over one of the rollups: the ranking by each key, and
// the trend.
struct game_statements {
    std::array<std::string, game_sorts.size()> top;
    std::string trending;
};

game_statements statements_over(const game_rollup& rollup) {
    const std::string covered_now =
        compose(rollup.covered, {{"name", "covered_now"}, {"from", "$1"}, {"to", "$2"}});
    const std::string covered_prev =
        compose(rollup.covered, {{"name", "covered_prev"}, {"from", "$5"}, {"to", "$1"}});
    const std::string figures_now =
        compose(game_figures,
                {{"rollup", rollup.table}, {"covered", "covered_now"}, {"in_window", rollup.now}});
    const std::string figures_prev = compose(
        game_figures,
        {{"rollup", rollup.table}, {"covered", "covered_prev"}, {"in_window", rollup.previous}});
    game_statements out;
    for (std::size_t i = 0; i < game_sorts.size(); ++i) {
        out.top[i] = compose(games_top_sql, {{"covered_now", covered_now},
                                             {"figures_now", figures_now},
                                             {"order", game_orders[i]}});
    }
    out.trending = compose(games_trending_sql, {{"covered_now", covered_now},
                                                {"covered_prev", covered_prev},
                                                {"figures_now", figures_now},
                                                {"figures_prev", figures_prev}});
    return out;
}

const game_statements games_by_hours = statements_over(games_over_hours);
const game_statements games_by_days = statements_over(games_over_days);

json::object game_item(const pqxx::row& row) {
    return {{"platform", row["platform"].as<std::string>()},
            {"game_id", row["platform_game_id"].as<std::string>()},
            {"game_name", row["name"].as<std::string>()},
            {"hours_watched", hours_of(row["watched"].as<double>())},
            {"avg_viewers", rounded(or_zero(row["avg_viewers"]))},
            {"peak_viewers", row["peak_viewers"].as<std::int64_t>()},
            {"avg_channels", rounded(or_zero(row["avg_channels"]))},
            {"peak_channels", row["peak_channels"].as<std::int64_t>()}};
}

} // namespace

http::handler stats_games_top_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query,
                            {"window", "from", "to", "platform", "sort", "limit", "format"});
        const stats_params c = read_stats_params(params, true);
        const std::string sort = params.one_of("sort", game_sorts).value_or("hours_watched");
        if (const auto& bad = params.error()) {
            co_return invalid_parameter(ctx.req, *bad);
        }
        const rollup_window& w = c.window;
        const auto key = static_cast<std::size_t>(
            std::find(game_sorts.begin(), game_sorts.end(), sort) - game_sorts.begin());
        const std::string& sql = (w.days ? games_by_days : games_by_hours).top[key];
        json::object answer = co_await shared.db.run([&](pqxx::connection& conn) {
            pqxx::read_transaction tx{conn};
            json::array data;
            for (const auto& row : tx.exec_params(sql, w.from, w.to, c.platform, c.limit)) {
                data.push_back(game_item(row));
            }
            return json::object{{"data", std::move(data)}, {"meta", window_meta(w)}};
        });
        co_return list_response(ctx.req, c.format, std::move(answer), "games-top.csv");
    };
}

http::handler stats_games_trending_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(
            ctx.query, {"window", "from", "to", "platform", "min_avg_viewers", "limit", "format"});
        const stats_params c = read_stats_params(params, true);
        const long long min_avg = params.integer("min_avg_viewers", 0, 1'000'000'000, 10);
        if (const auto& bad = params.error()) {
            co_return invalid_parameter(ctx.req, *bad);
        }
        const rollup_window& w = c.window;
        const std::string& sql = (w.days ? games_by_days : games_by_hours).trending;
        json::object answer = co_await shared.db.run([&](pqxx::connection& conn) {
            pqxx::read_transaction tx{conn};
            json::array data;
            for (const auto& row :
                 tx.exec_params(sql, w.from, w.to, c.platform, c.limit, w.prev_from, min_avg)) {
                json::object item = game_item(row);
                item["prev_avg_viewers"] = rounded(row["prev_avg_viewers"].as<double>());
                item["growth_pct"] = rounded(row["growth"].as<double>() * 100);
                data.push_back(std::move(item));
            }
            json::object meta = window_meta(w);
            meta["min_avg_viewers"] = min_avg;
            return json::object{{"data", std::move(data)}, {"meta", std::move(meta)}};
        });
        co_return list_response(ctx.req, c.format, std::move(answer), "games-trending.csv");
    };
}

} // namespace streamscope::api

// GET /stats/summary?window=|from=&to=&platform=&format= — a window's totals: channels live,
// hours watched and streamed, average concurrent viewers, peak viewers and peak channels.

#include <boost/json/array.hpp>
#include <pqxx/pqxx>

#include "api/format/csv.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/stats/rollup_window.hpp"
#include "api/handlers/stats/statement.hpp"
#include "common/http/response.hpp"
#include "common/json/text.hpp"

namespace streamscope::api {
namespace {

using namespace stats;

// $1, $2: the window in the rollups' terms (times over hours, days over days); $3: a platform
// name or ''; $4, $5: the same window in hours, which rollup_platform_hours is kept in.
// {covered}: the time the collector covered (covered_by_hours or covered_by_days);
// {channels_live}: the channels live in the window (below).
constexpr std::string_view summary_sql = R"(
WITH {covered},
plat AS (
    SELECT r.platform_id, sum(r.watched_ms)::float8 AS watched,
           sum(r.channel_ms)::float8 AS channel_ms
      FROM rollup_platform_hours r
     WHERE r.hour >= $4::timestamptz AND r.hour < $5::timestamptz
       AND ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3))
     GROUP BY r.platform_id),
peak AS (
    SELECT max(v) AS viewers, max(ch) AS channels
      FROM (SELECT r.hour, sum(r.peak_viewers) AS v, sum(r.peak_channels) AS ch
              FROM rollup_platform_hours r
             WHERE r.hour >= $4::timestamptz AND r.hour < $5::timestamptz
               AND ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3))
             GROUP BY r.hour) x)
SELECT ({channels_live}),
       COALESCE((SELECT sum(watched) FROM plat), 0),
       COALESCE((SELECT sum(channel_ms) FROM plat), 0),
       COALESCE((SELECT sum(p.watched / NULLIF(c.ms, 0))
                   FROM plat p JOIN covered c USING (platform_id)), 0),
       COALESCE((SELECT viewers FROM peak), 0), COALESCE((SELECT channels FROM peak), 0))";

// Over hours: the distinct channels of the window's rows of rollup_channel_hours.
constexpr std::string_view channels_live_by_hours = R"(
SELECT count(DISTINCT r.channel_id)
  FROM rollup_channel_hours r
 WHERE r.hour >= $1::timestamptz AND r.hour < $2::timestamptz
   AND ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3)))";

// Over days a channel counts on its first day in the window: its row of
// rollup_channel_day_totals whose previous day is before the window, or before the oldest day
// kept (retention deleted it). One range scan of rollup_channel_day_totals_first_idx
// (sql/migrations/0005) per day instead of a DISTINCT over every channel-day of the window.
constexpr std::string_view first_days_in_window = R"(
    ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3))
    AND r.prev_day < greatest($1::date, (SELECT min(o.day) FROM rollup_channel_day_totals o)))";
const std::string channels_live_by_days = "SELECT COALESCE(sum(t.n), 0) FROM " +
                                          compose(each_day, {{"from", "$1"},
                                                             {"to", "$2"},
                                                             {"select", "count(*) AS n"},
                                                             {"table", "rollup_channel_day_totals"},
                                                             {"where", first_days_in_window}});

const std::string covered_in_hours =
    compose(covered_by_hours, {{"name", "covered"}, {"from", "$1"}, {"to", "$2"}});
const std::string covered_in_days =
    compose(covered_by_days, {{"name", "covered"}, {"from", "$1"}, {"to", "$2"}});

// The two variants, by the rollups the window reads.
const std::string summary_by_hours_sql = compose(
    summary_sql, {{"covered", covered_in_hours}, {"channels_live", channels_live_by_hours}});
const std::string summary_by_days_sql =
    compose(summary_sql, {{"covered", covered_in_days}, {"channels_live", channels_live_by_days}});

} // namespace

http::handler stats_summary_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query, {"window", "from", "to", "platform", "format"});
        const stats_params c = read_stats_params(params, false);
        if (const auto& bad = params.error()) {
            co_return invalid_parameter(ctx.req, *bad);
        }
        const rollup_window& w = c.window;
        // Hours of the platform rollup that the day tables' bounds cover.
        const std::string hour_from = w.days ? w.from + "T00:00:00Z" : w.from;
        const std::string hour_to = w.days ? w.to + "T00:00:00Z" : w.to;
        boost::json::object answer = co_await shared.db.run([&](pqxx::connection& conn) {
            pqxx::read_transaction tx{conn};
            const auto row = tx.exec_params1(w.days ? summary_by_days_sql : summary_by_hours_sql,
                                             w.from, w.to, c.platform, hour_from, hour_to);
            boost::json::object data{
                {"channels_live", row[0].as<std::int64_t>()},
                {"hours_watched", hours_of(row[1].as<double>())},
                {"hours_streamed", hours_of(row[2].as<double>())},
                {"avg_viewers", rounded(row[3].as<double>())},
                {"peak_viewers", row[4].as<std::int64_t>()},
                {"peak_channels", row[5].as<std::int64_t>()},
            };
            return boost::json::object{{"data", std::move(data)}, {"meta", window_meta(w)}};
        });
        if (c.format == "csv") {
            boost::json::array one{answer["data"]};
            co_return csv_response(ctx.req, csv_from_items(one), "stats-summary.csv");
        }
        co_return http::json_response(ctx.req, answer);
    };
}

} // namespace streamscope::api

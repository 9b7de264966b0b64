// GET /stats/channels/rising: channels ranked over a window of the rollups by their growth
// or their follower gain (sql/0003_rollups.sql has the definitions).

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <pqxx/pqxx>

#include "api/format/csv.hpp"
#include "api/format/numbers.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/stats/channel_item.hpp"
#include "api/handlers/stats/rollup_window.hpp"
#include "api/http/errors.hpp"
#include "api/params/platform.hpp"
#include "api/params/query_params.hpp"
#include "api/params/time_window.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::api {
namespace {

using namespace stats;
namespace json = boost::json;

// Table and time column of a rollup ("channel", "game") for the window.
std::string table(const rollup_window& w, std::string_view kind) {
    return "rollup_" + std::string(kind) + (w.days ? "_days" : "_hours");
}
std::string time_column(const rollup_window& w) {
    return w.days ? "r.day" : "r.hour";
}
// $1 and $2 bound the time column (with the casts the column needs).
std::string in_window(const rollup_window& w, std::string_view from = "$1",
                      std::string_view to = "$2") {
    const char* cast = w.days ? "::date" : "::timestamptz";
    return time_column(w) + " >= " + std::string(from) + cast + " AND " + time_column(w) + " < " +
           std::string(to) + cast;
}

// Rows r of platform $3 ('' for every platform).
constexpr const char* channel_platform =
    "($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3))";

// Each day d.i of the day window [from, to) joined to `select` from its rows r of `table` (a
// table with a column `day`) that meet `conditions` (as t): one index range scan per day. The
// days as integers: PostgreSQL then knows how many there are (a series of dates counts as
// 1,000 rows, whose cost is high enough to compile the query with JIT, 5 to 20 ms). OFFSET 0
// keeps the scans per day: pulled up into a join, a condition that most rows of some day meet
// (every channel's first day has no previous one; a day of 100,000 new channels) was planned
// as a scan of every day, 5 to 15x slower.
std::string each_day_of(std::string_view table, std::string_view select,
                        std::string_view conditions, std::string_view from = "$1",
                        std::string_view to = "$2") {
    std::string sql = "generate_series(0, ";
    sql.append(to).append("::date - ").append(from).append("::date - 1) d(i) CROSS JOIN LATERAL ");
    sql.append("(SELECT ")
        .append(select)
        .append(" FROM ")
        .append(table)
        .append(" r WHERE r.day = ");
    return sql.append(from).append("::date + d.i AND ").append(conditions).append(" OFFSET 0) t");
}

// each_day_of() the rows of rollup_channel_day_totals on platform $3, `rest` following the
// day's conditions.
std::string each_day(std::string_view select, std::string_view rest, std::string_view from = "$1",
                     std::string_view to = "$2") {
    return each_day_of("rollup_channel_day_totals", select,
                       std::string(channel_platform).append(rest), from, to);
}

// ---- /stats/channels/top and /stats/channels/rising ------------------------------------------

// Where a channel's figures come from: the hour or day rollups per game and language when the
// question narrows to either (or reads hours), else one row per channel and day
// (rollup_channel_day_totals, sql/0005: the sums of the same rows, so the same figures).
std::string channel_source(const rollup_window& w, bool narrowed) {
    return w.days && !narrowed ? "rollup_channel_day_totals" : table(w, "channel");
}

constexpr const char* channel_columns =
    "c.platform_user_id, c.login, c.display_name, c.follower_count, p.name AS platform";

// The joins that give the rows of `ranked` (by channel_id) channel_columns.
std::string channel_joins(std::string_view ranked) {
    std::string sql = " JOIN channels c ON c.id = ";
    return sql.append(ranked).append(".channel_id JOIN platforms p ON p.id = c.platform_id");
}

constexpr std::array<std::string_view, 2> rising_sorts{"avg_viewers", "followers"};

// A channel's follower gain from its totals d of the window's days: the last total minus the
// total before the window, as the sum of the totals' changes (each records the total before
// it, sql/0009, so the sum telescopes; a plain sum, where picking the first and last total
// sorted each channel's rows). NULL when one of them is the channel's first total.
constexpr const char* window_gain =
    "CASE WHEN count(*) = count(d.prev_followers) THEN sum(d.followers - d.prev_followers) END";

// The follower gain of `channel` over the window ($1 as a day): `gain` when the channel has
// totals in the window (`in_window`), else 0 when it has an earlier one; NULL when it has none
// before the window (its first total is in the window, or it has none at all).
std::string gain_or_zero(std::string_view in_window, std::string_view gain,
                         std::string_view channel) {
    std::string sql = "CASE WHEN ";
    sql.append(in_window).append(" THEN ").append(gain).append(" WHEN EXISTS (SELECT 1 FROM ");
    sql.append("channel_follower_days e WHERE e.channel_id = ").append(channel);
    return sql.append(" AND e.day < $1::date) THEN 0 END");
}

// gain_or_zero() of `channel` looked up from its totals of the window ($1, $2 as days).
std::string follower_gain(std::string_view channel) {
    std::string sql = "(SELECT ";
    sql.append(gain_or_zero("count(*) > 0", window_gain, channel));
    sql.append(" FROM channel_follower_days d WHERE d.channel_id = ").append(channel);
    return sql.append(" AND d.day >= $1::date AND d.day < $2::date)");
}

// `gains`: the follower gain over the window ($1, $2) of every channel with a total in it.
// Over days: its last total in the window (whose next day lies after it) minus the total before
// its first (the prev_followers of the one whose previous day lies before the window), each
// found by one index range scan per day (sql/0011) rather than by summing every total. Over
// hours (a day or two of totals): window_gain; $1 is first cast to a timestamptz, as
// PostgreSQL types a parameter by its first use, and as a date it would drop the window's hour.
std::string gains_ctes(const rollup_window& w) {
    if (!w.days) {
        std::string sql = "gains AS (SELECT d.channel_id, ";
        return sql.append(window_gain)
            .append(" AS gain FROM channel_follower_days d WHERE d.day >= $1::timestamptz::date "
                    "AND d.day < $2::timestamptz::date GROUP BY d.channel_id)");
    }
    std::string sql = "gains_first AS MATERIALIZED (SELECT t.* FROM ";
    sql.append(each_day_of("channel_follower_days", "r.channel_id, r.prev_followers",
                           "r.prev_day < $1::date"));
    sql.append("), gains_last AS MATERIALIZED (SELECT t.* FROM ");
    sql.append(each_day_of("channel_follower_days", "r.channel_id, r.followers",
                           "r.next_day >= $2::date"));
    return sql.append("), gains AS (SELECT l.channel_id, l.followers - f.prev_followers AS gain "
                      "FROM gains_last l JOIN gains_first f USING (channel_id))");
}

// Both windows' figures from the rows of the channels' hour rollups (or their day totals)
// from $4 to $2 that meet `where` (per channel, or of the channel that `where` names), in one
// pass (a third faster than two aggregations joined); the same sums as channel_figures(), so
// the same figures.
std::string rising_figures(const rollup_window& w, std::string_view where, bool per_channel) {
    const char* cast = w.days ? "::date" : "::timestamptz";
    const std::string now = " FILTER (WHERE " + time_column(w) + " >= $1" + cast + ")";
    const std::string prev = " FILTER (WHERE " + time_column(w) + " < $1" + cast + ")";
    std::string sql =
        per_channel ? "SELECT r.channel_id, sum(r.watched_ms)" : "SELECT sum(r.watched_ms)";
    sql.append(now).append("::float8 AS watched, sum(r.live_ms)").append(now);
    sql.append("::float8 AS live, max(r.peak_viewers)").append(now);
    sql.append(" AS peak_viewers, sum(r.watched_ms)").append(now);
    sql.append("::float8 / NULLIF(sum(r.live_ms)").append(now);
    sql.append(", 0) AS avg_viewers, sum(r.watched_ms)").append(prev);
    sql.append("::float8 / NULLIF(sum(r.live_ms)").append(prev);
    sql.append(", 0) AS prev_avg_viewers, sum(r.live_ms)").append(prev);
    sql.append("::float8 AS prev_live FROM ").append(channel_source(w, false)).append(" r WHERE ");
    sql.append(in_window(w, "$4", "$2")).append(" AND ").append(channel_platform);
    sql.append(" AND ").append(where);
    return per_channel ? sql.append(" GROUP BY r.channel_id") : sql;
}

// `pairs`: every channel's figures of both day windows ($4 to $1, $1 to $2) but its peak,
// from the rows at the windows' edges (sql/0011): a channel's sum over a window is its running
// total after its last day in the window minus the one before its first day in it. Three rows
// per channel that has days in both, whatever the windows' lengths: its first day in the
// previous window (edges_a), its first in the window, whose previous day lies in the previous
// window (edges_b), and its last in the window (edges_c), each found by one index range scan
// per day. Materialized: else the planner, which cannot tell how few rows each scan finds,
// joins them as a look-up of every day of each channel (5x slower).
std::string rising_day_edges() {
    const char* before = "r.channel_id, r.watched_before_ms, r.live_before_ms";
    std::string sql = "edges_a AS MATERIALIZED (SELECT t.* FROM ";
    sql.append(each_day(before, " AND r.prev_day < $4::date", "$4", "$1"));
    sql.append("), edges_b AS MATERIALIZED (SELECT t.* FROM ");
    sql.append(each_day(before, " AND r.prev_day >= $4::date AND r.prev_day < $1::date"));
    sql.append("), edges_c AS MATERIALIZED (SELECT t.* FROM ");
    sql.append(each_day("r.channel_id, r.watched_before_ms + r.watched_ms AS watched_through, "
                        "r.live_before_ms + r.live_ms AS live_through",
                        " AND r.next_day >= $2::date"));
    return sql.append(
        "), pairs AS (SELECT b.channel_id, "
        "(c.watched_through - b.watched_before_ms)::float8 AS watched, "
        "(c.live_through - b.live_before_ms)::float8 AS live, "
        "(c.watched_through - b.watched_before_ms)::float8 / "
        "NULLIF(c.live_through - b.live_before_ms, 0) AS avg_viewers, "
        "(b.watched_before_ms - a.watched_before_ms)::float8 / "
        "NULLIF(b.live_before_ms - a.live_before_ms, 0) AS prev_avg_viewers, "
        "(b.live_before_ms - a.live_before_ms)::float8 AS prev_live "
        "FROM edges_b b JOIN edges_a a USING (channel_id) JOIN edges_c c USING (channel_id))");
}

// Both windows need an hour streamed at least, so that one short stream is not a trend.
constexpr const char* rising_qualifies = "x.avg_viewers >= $5 AND x.prev_avg_viewers > 0 "
                                         "AND x.live >= 3600000 AND x.prev_live >= 3600000";

// By follower gain: the channels whose total grew in the window, walked from the largest gain
// down until `limit` of them qualify, among the first 10 x limit + 100 of them (each one's
// figures from its own rows). Exact when it finds that many (every channel passed over gained
// as much or more, and does not qualify; every other channel gained less); else the caller
// ranks every channel.
std::string rising_by_gain_walk_sql(const rollup_window& w) {
    std::string sql = "WITH ";
    sql.append(gains_ctes(w));
    sql.append(", ranked AS (SELECT m.channel_id, m.gain, x.*, (x.avg_viewers - "
               "x.prev_avg_viewers) / x.prev_avg_viewers AS growth FROM (SELECT channel_id, gain "
               "FROM gains WHERE gain > 0 ORDER BY gain DESC, channel_id LIMIT 10 * $6 + 100) m "
               "CROSS JOIN LATERAL (");
    sql.append(rising_figures(w, "r.channel_id = m.channel_id", false)).append(") x WHERE ");
    sql.append(rising_qualifies).append(" LIMIT $6) SELECT r.*, ").append(channel_columns);
    return sql.append(" FROM ranked r")
        .append(channel_joins("r"))
        .append(" ORDER BY r.gain DESC, c.id");
}

// Every qualifying channel of the window ranked by growth or by follower gain, ranked before
// the channels (and over days their peaks) are looked up: only the rows answered are. The
// gains are looked up for the rows answered when ranking by growth; by gain (after a walk that
// found too few), over days every channel's comes from the window's edges at once (most
// channels of a day window qualify), over hours each qualifying channel's is looked up.
std::string rising_sql(const rollup_window& w, bool by_growth) {
    const bool all_gains = w.days && !by_growth;
    const char* order = by_growth ? "growth DESC" : "gain DESC NULLS LAST";
    std::string sql = "WITH ";
    sql.append(w.days ? rising_day_edges() : "pairs AS (" + rising_figures(w, "true", true) + ")");
    sql.append(", ranked AS (SELECT x.*, (x.avg_viewers - x.prev_avg_viewers) / "
               "x.prev_avg_viewers AS growth FROM pairs x WHERE ");
    sql.append(rising_qualifies);
    if (by_growth) {
        sql.append(" ORDER BY growth DESC, channel_id LIMIT $6");
    }
    sql.append(")");
    if (all_gains) {
        sql.append(", ").append(gains_ctes(w));
    }
    sql.append(", top AS (SELECT r.*, fo.gain FROM ranked r");
    if (all_gains) {
        sql.append(" LEFT JOIN gains m ON m.channel_id = r.channel_id CROSS JOIN LATERAL (SELECT ");
        sql.append(gain_or_zero("m.channel_id IS NOT NULL", "m.gain", "r.channel_id"));
        sql.append(" AS gain) fo");
    } else {
        sql.append(" CROSS JOIN LATERAL (SELECT ")
            .append(follower_gain("r.channel_id"))
            .append(" AS gain) fo");
    }
    sql.append(" ORDER BY ").append(order).append(", r.channel_id LIMIT $6) SELECT top.*, ");
    sql.append(channel_columns);
    if (w.days) {
        sql.append(", (SELECT max(t.peak_viewers) FROM rollup_channel_day_totals t "
                   "WHERE t.channel_id = top.channel_id AND t.day >= $1::date "
                   "AND t.day < $2::date) AS peak_viewers");
    }
    sql.append(" FROM top").append(channel_joins("top")).append(" ORDER BY ");
    return sql.append(order).append(", c.id");
}

handler channels_rising(app& shared) {
    return [&shared](request_context& ctx) -> boost::asio::awaitable<response> {
        query_params params(ctx.query, {"window", "from", "to", "platform", "sort",
                                        "min_avg_viewers", "limit", "format"});
        const stats_params c = read_stats_params(params, true);
        const std::string sort = params.one_of("sort", rising_sorts).value_or("avg_viewers");
        const long long min_avg = params.integer("min_avg_viewers", 0, 1'000'000'000, 10);
        if (const auto& bad = params.error()) {
            co_return invalid_parameter(ctx.req, *bad);
        }
        const rollup_window& w = c.window;
        const bool by_growth = sort != "followers";
        json::object answer = co_await shared.db.run([&](pqxx::connection& conn) {
            pqxx::read_transaction tx{conn};
            const auto run = [&](const std::string& sql) {
                return tx.exec_params(sql, w.from, w.to, c.platform, w.prev_from, min_avg, c.limit);
            };
            std::optional<pqxx::result> rows;
            if (!by_growth) {
                rows = run(rising_by_gain_walk_sql(w));
                if (rows->size() < static_cast<std::size_t>(c.limit)) {
                    rows.reset();
                }
            }
            if (!rows) {
                rows = run(rising_sql(w, by_growth));
            }
            json::array data;
            for (const auto& row : *rows) {
                json::object item = channel_item(row);
                item["prev_avg_viewers"] = rounded(row["prev_avg_viewers"].as<double>());
                item["growth_pct"] = rounded(row["growth"].as<double>() * 100);
                item["follower_gain"] = row["gain"].is_null()
                                            ? json::value(nullptr)
                                            : json::value(row["gain"].as<std::int64_t>());
                data.push_back(std::move(item));
            }
            json::object meta = window_meta(w);
            meta["min_avg_viewers"] = min_avg;
            return json::object{{"data", std::move(data)}, {"meta", std::move(meta)}};
        });
        co_return list_response(ctx.req, c.format, std::move(answer), "channels-rising.csv");
    };
}

} // namespace

handler stats_channels_rising_route(app& shared) {
    return channels_rising(shared);
}

} // namespace streamscope::api

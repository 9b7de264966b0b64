// GET /stats/channels/rising?window=|from=&to=&platform=&sort=avg_viewers|followers&
// min_avg_viewers=&limit=&format= — channels ranked by the growth of their average viewers
// against the previous window of the same length, or by their follower gain in the window.
// Both windows need an hour streamed with a known viewer count at least, so that one short
// stream is not a trend (nor an average over a few minutes of a stream whose count was hidden
// the rest of the time: averages are over the time with a known count, sql/migrations/0019),
// and average viewers of at least min_avg_viewers now.
//
// $1, $2: the window; $3: a platform name or ''; $4: the previous window's start; $5: the
// minimum average viewers; $6: the limit. Over hours the figures come from rollup_channel_hours
// (through its index on the hour), over days from rollup_channel_day_totals (sql/migrations/0005,
// sql/migrations/0011) and the follower gains from channel_follower_days (sql/migrations/0009,
// sql/migrations/0011).

#include <array>
#include <optional>

#include <boost/json/array.hpp>
#include <pqxx/pqxx>

#include "api/format/csv.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/stats/channel_item.hpp"
#include "api/handlers/stats/rollup_window.hpp"
#include "api/handlers/stats/statement.hpp"

namespace streamscope::api {
namespace {

using namespace stats;
namespace json = boost::json;

// Every qualifying channel of the window ranked by growth or by follower gain, ranked before
// the channels (and over days their peaks, {peak}) are looked up: only the rows answered are.
// {pairs}: both windows' figures per channel. By growth the ranking stops at the limit
// ({ranked_limit}); {gains} and {gain_of_each}: each ranked channel's follower gain, looked up
// or from gains of every channel. {order}: growth, or gain.
constexpr std::string_view rising_sql = R"(
WITH {pairs},
ranked AS (
    SELECT x.*, (x.avg_viewers - x.prev_avg_viewers) / x.prev_avg_viewers AS growth
      FROM pairs x
     WHERE x.avg_viewers >= $5 AND x.prev_avg_viewers > 0
       AND x.counted >= 3600000 AND x.prev_counted >= 3600000
     {ranked_limit}),{gains}
top AS (
    SELECT r.*, fo.gain
      FROM ranked r {gain_of_each}
     ORDER BY {order}, r.channel_id
     LIMIT $6)
SELECT top.*, c.platform_user_id, c.login, c.display_name, c.follower_count,
       p.name AS platform{peak}
  FROM top JOIN channels c ON c.id = top.channel_id JOIN platforms p ON p.id = c.platform_id
 ORDER BY {order}, c.id)";

// By follower gain: the channels whose total grew in the window ({gains}), walked from the
// largest gain down until $6 of them qualify, among the first 10 x $6 + 100 of them, each
// one's figures from its own rows ({figures_of_one}). Exact when it finds that many (every
// channel passed over gained as much or more, and does not qualify; every other channel
// gained less); else the caller ranks every channel (rising_sql).
constexpr std::string_view gain_walk_sql = R"(
WITH {gains},
ranked AS (
    SELECT m.channel_id, m.gain, x.*,
           (x.avg_viewers - x.prev_avg_viewers) / x.prev_avg_viewers AS growth
      FROM (SELECT channel_id, gain FROM gains WHERE gain > 0
             ORDER BY gain DESC, channel_id LIMIT 10 * $6 + 100) m
     CROSS JOIN LATERAL ({figures_of_one}) x
     WHERE x.avg_viewers >= $5 AND x.prev_avg_viewers > 0
       AND x.counted >= 3600000 AND x.prev_counted >= 3600000
     LIMIT $6)
SELECT r.*, c.platform_user_id, c.login, c.display_name, c.follower_count, p.name AS platform
  FROM ranked r JOIN channels c ON c.id = r.channel_id JOIN platforms p ON p.id = c.platform_id
 ORDER BY r.gain DESC, c.id)";

// Both windows' figures from the rows of {rollup} from $4 to $2 ({both_windows}) that meet
// {which}, in one pass (a third faster than two aggregations joined): {now} and {before} pick
// the window's rows and the previous window's. The same sums as channels/top's, so the same
// figures. {channel}: the channel's id first, for figures per channel.
constexpr std::string_view rising_figures = R"(
    SELECT {channel} sum(r.watched_ms) {now}::float8 AS watched,
           sum(r.live_ms) {now}::float8 AS live,
           sum(r.counted_ms) {now}::float8 AS counted,
           max(r.peak_viewers) {now} AS peak_viewers,
           sum(r.watched_ms) {now}::float8 / NULLIF(sum(r.counted_ms) {now}, 0) AS avg_viewers,
           sum(r.watched_ms) {before}::float8
             / NULLIF(sum(r.counted_ms) {before}, 0) AS prev_avg_viewers,
           sum(r.counted_ms) {before}::float8 AS prev_counted
      FROM {rollup} r
     WHERE {both_windows}
       AND ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3))
       AND {which})";

// Over days, every channel's figures of both windows but its peak, from the rows at the
// windows' edges (sql/migrations/0011): a channel's sum over a window is its running total after
// its last day in the window minus the one before its first day in it. Three rows per channel that
// has days in both, whatever the windows' lengths: its first day in the previous window
// ({first_days_before}: edges_a), its first in the window, whose previous day lies in the
// previous window ({first_days_in}: edges_b), and its last in the window ({last_days_in}:
// edges_c), each found by one index range scan per day (rollup_channel_day_totals_first_idx
// and _last_idx). Materialized: else the planner, which cannot tell how few rows each scan
// finds, joins them as a look-up of every day of each channel (5x slower).
constexpr std::string_view pairs_over_days = R"(
edges_a AS MATERIALIZED (SELECT t.* FROM {first_days_before}),
edges_b AS MATERIALIZED (SELECT t.* FROM {first_days_in}),
edges_c AS MATERIALIZED (SELECT t.* FROM {last_days_in}),
pairs AS (
    SELECT b.channel_id,
           (c.watched_through - b.watched_before_ms)::float8 AS watched,
           (c.live_through - b.live_before_ms)::float8 AS live,
           (c.counted_through - b.counted_before_ms)::float8 AS counted,
           (c.watched_through - b.watched_before_ms)::float8
             / NULLIF(c.counted_through - b.counted_before_ms, 0) AS avg_viewers,
           (b.watched_before_ms - a.watched_before_ms)::float8
             / NULLIF(b.counted_before_ms - a.counted_before_ms, 0) AS prev_avg_viewers,
           (b.counted_before_ms - a.counted_before_ms)::float8 AS prev_counted
      FROM edges_b b JOIN edges_a a USING (channel_id) JOIN edges_c c USING (channel_id)))";

// `gains`: the follower gain over the window of every channel with a total in it. Over days:
// its last total in the window (whose next day lies after it) minus the total before its
// first (the prev_followers of the one whose previous day lies before the window), each found
// by one range scan per day of channel_follower_days_first_idx and _last_idx (sql/migrations/0011)
// rather than by summing every total.
constexpr std::string_view gains_over_days = R"(
gains_first AS MATERIALIZED (SELECT t.* FROM {first_totals}),
gains_last AS MATERIALIZED (SELECT t.* FROM {last_totals}),
gains AS (
    SELECT l.channel_id, l.followers - f.prev_followers AS gain
      FROM gains_last l JOIN gains_first f USING (channel_id)))";

// Over hours (a day or two of totals): the sum of the totals' changes, which telescopes to the
// last total minus the total before the window (each total records the one before it,
// sql/migrations/0009); NULL when one of them is the channel's first total. $1 is first cast to a
// timestamptz, as PostgreSQL types a parameter by its first use, and as a date it would drop
// the window's hour.
constexpr std::string_view gains_over_hours = R"(
gains AS (
    SELECT d.channel_id,
           CASE WHEN count(*) = count(d.prev_followers)
                THEN sum(d.followers - d.prev_followers) END AS gain
      FROM channel_follower_days d
     WHERE d.day >= $1::timestamptz::date AND d.day < $2::timestamptz::date
     GROUP BY d.channel_id))";

// A ranked channel's follower gain looked up from its totals of the window (as in
// gains_over_hours) when it has any, else 0 when it has an earlier one; NULL when it has none
// before the window (its first total is in the window, or it has none at all).
constexpr std::string_view gain_looked_up = R"(
 CROSS JOIN LATERAL (
       SELECT (SELECT CASE WHEN count(*) > 0
                           THEN CASE WHEN count(*) = count(d.prev_followers)
                                     THEN sum(d.followers - d.prev_followers) END
                           WHEN EXISTS (SELECT 1 FROM channel_follower_days e
                                         WHERE e.channel_id = r.channel_id AND e.day < $1::date)
                           THEN 0 END
                 FROM channel_follower_days d
                WHERE d.channel_id = r.channel_id AND d.day >= $1::date AND d.day < $2::date)
              AS gain) fo)";

// The same from `gains` (gains_over_days).
constexpr std::string_view gain_from_gains = R"(
  LEFT JOIN gains m ON m.channel_id = r.channel_id
 CROSS JOIN LATERAL (
       SELECT CASE WHEN m.channel_id IS NOT NULL THEN m.gain
                   WHEN EXISTS (SELECT 1 FROM channel_follower_days e
                                 WHERE e.channel_id = r.channel_id AND e.day < $1::date)
                   THEN 0 END AS gain) fo)";

// Over days, a ranked channel's peak (its day totals' largest).
constexpr std::string_view peak_over_days = R"(,
       (SELECT max(t.peak_viewers) FROM rollup_channel_day_totals t
         WHERE t.channel_id = top.channel_id AND t.day >= $1::date AND t.day < $2::date)
       AS peak_viewers)";

// The rows of `table` on day d.i of [from, to) (each_day) that meet `where`.
std::string each_day_of(std::string_view table, std::string_view from, std::string_view to,
                        std::string_view select, std::string_view where) {
    return compose(
        each_day,
        {{"from", from}, {"to", to}, {"select", select}, {"table", table}, {"where", where}});
}

// each_day_of() the channels' day totals on platform $3.
std::string channel_days(std::string_view from, std::string_view to, std::string_view select,
                         std::string_view more) {
    return each_day_of("rollup_channel_day_totals", from, to, select,
                       "($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3))" +
                           std::string(more));
}

// What differs between the hour rollups and the day totals in rising_figures.
struct rising_rollup {
    std::string_view table;
    std::string_view now;
    std::string_view before;
    std::string_view both_windows;
};
constexpr rising_rollup hours_rollup{"rollup_channel_hours",
                                     "FILTER (WHERE r.hour >= $1::timestamptz)",
                                     "FILTER (WHERE r.hour < $1::timestamptz)",
                                     "r.hour >= $4::timestamptz AND r.hour < $2::timestamptz"};
constexpr rising_rollup day_totals_rollup{
    "rollup_channel_day_totals", "FILTER (WHERE r.day >= $1::date)",
    "FILTER (WHERE r.day < $1::date)", "r.day >= $4::date AND r.day < $2::date"};

std::string figures(const rising_rollup& rollup, std::string_view channel, std::string_view which) {
    return compose(rising_figures, {{"channel", channel},
                                    {"now", rollup.now},
                                    {"before", rollup.before},
                                    {"rollup", rollup.table},
                                    {"both_windows", rollup.both_windows},
                                    {"which", which}});
}

constexpr std::string_view before_edge =
    "r.channel_id, r.watched_before_ms, r.live_before_ms, r.counted_before_ms";

const std::string pairs_over_hours =
    "pairs AS (" + figures(hours_rollup, "r.channel_id,", "true") + " GROUP BY r.channel_id)";
const std::string pairs_over_days_sql = compose(
    pairs_over_days,
    {{"first_days_before", channel_days("$4", "$1", before_edge, " AND r.prev_day < $4::date")},
     {"first_days_in", channel_days("$1", "$2", before_edge,
                                    " AND r.prev_day >= $4::date AND r.prev_day < $1::date")},
     {"last_days_in",
      channel_days("$1", "$2",
                   "r.channel_id, r.watched_before_ms + r.watched_ms AS watched_through, "
                   "r.live_before_ms + r.live_ms AS live_through, "
                   "r.counted_before_ms + r.counted_ms AS counted_through",
                   " AND r.next_day >= $2::date")}});
const std::string gains_over_days_sql = compose(
    gains_over_days,
    {{"first_totals", each_day_of("channel_follower_days", "$1", "$2",
                                  "r.channel_id, r.prev_followers", "r.prev_day < $1::date")},
     {"last_totals", each_day_of("channel_follower_days", "$1", "$2", "r.channel_id, r.followers",
                                 "r.next_day >= $2::date")}});

// The variants: over hours or days, by growth or by gain (and the gain walk over each).
struct rising_statements {
    std::string by_growth;
    std::string by_gain;
    std::string gain_walk;
};

const rising_statements rising_over_hours{
    compose(rising_sql, {{"pairs", pairs_over_hours},
                         {"ranked_limit", "ORDER BY growth DESC, channel_id LIMIT $6"},
                         {"gains", ""},
                         {"gain_of_each", gain_looked_up},
                         {"order", "growth DESC"},
                         {"peak", ""}}),
    compose(rising_sql, {{"pairs", pairs_over_hours},
                         {"ranked_limit", ""},
                         {"gains", ""},
                         {"gain_of_each", gain_looked_up},
                         {"order", "gain DESC NULLS LAST"},
                         {"peak", ""}}),
    compose(gain_walk_sql,
            {{"gains", gains_over_hours},
             {"figures_of_one", figures(hours_rollup, "", "r.channel_id = m.channel_id")}}),
};

// By gain over days most channels of the window qualify: every channel's gain comes from the
// window's edges at once rather than being looked up one by one.
const rising_statements rising_over_days{
    compose(rising_sql, {{"pairs", pairs_over_days_sql},
                         {"ranked_limit", "ORDER BY growth DESC, channel_id LIMIT $6"},
                         {"gains", ""},
                         {"gain_of_each", gain_looked_up},
                         {"order", "growth DESC"},
                         {"peak", peak_over_days}}),
    compose(rising_sql, {{"pairs", pairs_over_days_sql},
                         {"ranked_limit", ""},
                         {"gains", gains_over_days_sql + ","},
                         {"gain_of_each", gain_from_gains},
                         {"order", "gain DESC NULLS LAST"},
                         {"peak", peak_over_days}}),
    compose(gain_walk_sql,
            {{"gains", gains_over_days_sql},
             {"figures_of_one", figures(day_totals_rollup, "", "r.channel_id = m.channel_id")}}),
};

constexpr std::array<std::string_view, 2> rising_sorts{"avg_viewers", "followers"};

} // namespace

http::handler stats_channels_rising_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
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
        const rising_statements& statements = w.days ? rising_over_days : rising_over_hours;
        json::object answer = co_await shared.db.run([&](pqxx::connection& conn) {
            pqxx::read_transaction tx{conn};
            const auto run = [&](const std::string& sql) {
                return tx.exec_params(sql, w.from, w.to, c.platform, w.prev_from, min_avg, c.limit);
            };
            std::optional<pqxx::result> rows;
            if (!by_growth) {
                rows = run(statements.gain_walk);
                if (rows->size() < static_cast<std::size_t>(c.limit)) {
                    rows.reset();
                }
            }
            if (!rows) {
                rows = run(by_growth ? statements.by_growth : statements.by_gain);
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

} // namespace streamscope::api

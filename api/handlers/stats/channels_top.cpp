// GET /stats/channels/top?window=|from=&to=&platform=&sort=&game=&language=&limit=&format= —
// channels ranked over a window by hours watched or streamed, peak or average viewers, or
// followers, optionally within a game or a language.
//
// Every ranking sums each channel's rows of the window, then ranks. Day windows that narrow
// to no game or language read one row per channel and day (rollup_channel_day_totals,
// sql/migrations/0005: the sums of its rows per game and language, so the same figures) and rank
// from the channels that can reach the top rather than from all of them (README, "Statistics"):
// - by a summed key (hours watched or streamed), from the window's leaderboard when the fold
//   job keeps a current one (its best 100 channels, sql/migrations/0010), else from the channels
//   with a day of at least T/n, where T is a total that the answer's last row reaches (a total of T
//   over the window's n days needs such a day), taken from the channels that lead some day;
// - by peak or average viewers, from the channels that lead some day, when that is exact (see
//   leaders_sql), else from every channel.
// A channel's average is hours watched / hours with a known count (sql/migrations/0019); its
// average and peak are unknown (NULL, null in the answer) when its every count was hidden, and
// rank after every known one.

#include <algorithm>
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

// ---- Where the rows come from: $1, $2 the window, $3 a platform name or '' ----------------

// Hour windows: rollup_channel_hours, through its index on the hour.
constexpr std::string_view from_channel_hours = R"(
      FROM rollup_channel_hours r
     WHERE r.hour >= $1::timestamptz AND r.hour < $2::timestamptz
       AND ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3)))";
// Day windows narrowed to a game or language: rollup_channel_days.
constexpr std::string_view from_channel_days = R"(
      FROM rollup_channel_days r
     WHERE r.day >= $1::date AND r.day < $2::date
       AND ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3)))";
// Day windows otherwise: one row per channel and day.
constexpr std::string_view from_channel_day_totals = R"(
      FROM rollup_channel_day_totals r
     WHERE r.day >= $1::date AND r.day < $2::date
       AND ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3)))";
// Narrowed to a game ($5: id or name) and a language ($6), either '' for any. = ANY (ARRAY(...)),
// not IN (...): under the OR an IN stays a filter on every row of the window, while the array
// is computed once and rollup_channel_days_game_idx (sql/migrations/0005) finds the game's rows.
constexpr std::string_view in_game_and_language = R"(
       AND ($5 = '' OR r.game_id = ANY (ARRAY(SELECT id FROM games
                                               WHERE platform_game_id = $5
                                                  OR lower(name) = lower($5))))
       AND ($6 = '' OR r.language = $6))";

// ---- The statements --------------------------------------------------------------------------

// Per channel of {rows}: hours watched and streamed (ms), peak and average viewers (NULL when
// no count was known: counted_ms is 0 and every peak NULL).
constexpr std::string_view channel_figures = R"(
    SELECT r.channel_id, sum(r.watched_ms)::float8 AS watched, sum(r.live_ms)::float8 AS live,
           max(r.peak_viewers) AS peak_viewers,
           sum(r.watched_ms)::float8 / NULLIF(sum(r.counted_ms), 0) AS avg_viewers
      {rows}
     GROUP BY r.channel_id)";

// The $4 best channels by {order} of {figures}, ranked before the channels are joined: only
// the rows answered are looked up.
constexpr std::string_view ranked_sql = R"(
WITH f AS (SELECT * FROM ({figures}) f ORDER BY {order}, f.channel_id LIMIT $4)
SELECT f.*, c.platform_user_id, c.login, c.display_name, c.follower_count, p.name AS platform
  FROM f JOIN channels c ON c.id = f.channel_id JOIN platforms p ON p.id = c.platform_id
 ORDER BY {order}, c.id)";

// By followers, which the channels hold: the channels walked in that order
// (channels_followers_idx, sql/migrations/0008) until $4 of them have a row in the window, and the
// figures of those alone. {rows} ends with a condition, which the statement extends.
constexpr std::string_view by_followers_sql = R"(
WITH top AS (
    SELECT c.id
      FROM channels c
     WHERE ($3 = '' OR c.platform_id = (SELECT id FROM platforms WHERE name = $3))
       AND EXISTS (SELECT 1 {rows} AND r.channel_id = c.id)
     ORDER BY c.follower_count DESC NULLS LAST, c.id
     LIMIT $4),
f AS ({figures_of_top})
SELECT f.*, c.platform_user_id, c.login, c.display_name, c.follower_count, p.name AS platform
  FROM f JOIN channels c ON c.id = f.channel_id JOIN platforms p ON p.id = c.platform_id
 ORDER BY c.follower_count DESC NULLS LAST, c.id)";

// The day-window ranking by a key that is not summed ($1, $2 days, $3 platform, $4 limit, $5
// leaders per day), read from the channels that lead some day of the window ({leaders}, each
// day's best by {day} through the key's index on rollup_channel_day_totals, unknown values
// last) instead of from every channel. Exact, not an estimate: a channel that leads no day
// has, on each day, at most that day's lowest leader value (`low`), or none (NULL) when the
// day's lowest leader has none, so over the window at most the largest of the lows of the
// days with a full list of leaders (`above`; a day with fewer lists all its channels), or
// none when every such low is NULL (max() skips NULLs; an average over the window is a mean
// of the days' known ones). `left_out`: some day's list is full, so a channel may be left out.
// When the last row ranks strictly above every channel left out, none of them could have
// taken its place, and the column `exact` is true; when it is false the caller ranks every
// channel instead. A last row without a value is not above a channel left out (they would
// tie, and the channel id decides), nor is a short list when channels are left out. The
// comparison is made on the float8 figures the answer ranks by ({window}): rounding keeps
// order, so peaks compare safely, and averages (a float8 division) as long as a channel's
// window stays below 2^53 viewer-ms, 2.5 billion hours watched.
constexpr std::string_view leaders_sql = R"(
WITH leaders AS (SELECT d.i AS day, t.channel_id, t.v FROM {leaders}),
lows AS (SELECT min(v) AS low FROM leaders GROUP BY day HAVING count(*) = $5),
bound AS (SELECT count(*) > 0 AS left_out, max(low)::float8 AS above FROM lows),
f AS ({figures_of_leaders}),
ranked AS (
    SELECT f.*, {window} AS v FROM f ORDER BY {window} DESC NULLS LAST, f.channel_id LIMIT $4)
SELECT ranked.*, c.platform_user_id, c.login, c.display_name, c.follower_count,
       p.name AS platform,
       (SELECT CASE WHEN NOT b.left_out THEN true
                    WHEN count(*) < $4 OR bool_or(v IS NULL) THEN false
                    WHEN b.above IS NULL THEN true
                    ELSE min(v) > b.above END
          FROM ranked, bound b GROUP BY b.left_out, b.above) AS exact
  FROM ranked JOIN channels c ON c.id = ranked.channel_id JOIN platforms p ON p.id = c.platform_id
 ORDER BY ranked.v DESC NULLS LAST, c.id)";

// The leaderboard of the window ($1, $2 days, $3 platform, $4 sort) if it is current: the day
// totals have not changed since it was ranked (sql/migrations/0010). It holds 100 channels, the
// most `limit` may ask for.
constexpr std::string_view leaderboard_sql = R"(
SELECT l.channel_ids
  FROM rollup_channel_leaderboards l JOIN rollup_day_version v ON v.version = l.version
 WHERE l.from_day = $1::date AND l.to_day = $2::date AND l.platform = $3 AND l.sort = $4)";

// floor(T/n) for the candidates by day ($1, $2 days, $3 platform, $4 limit): T is the
// limit-th best total by {day} among the channels that lead some day ({leaders}), at most the
// limit-th best of all; 0 when fewer than `limit` channels lead a day.
constexpr std::string_view threshold_sql = R"(
WITH leaders AS (SELECT DISTINCT t.channel_id FROM {leaders})
SELECT COALESCE(floor((SELECT v
                         FROM (SELECT sum({day}) AS v
                                 FROM rollup_channel_day_totals r
                                WHERE r.day >= $1::date AND r.day < $2::date
                                  AND r.channel_id IN (SELECT channel_id FROM leaders)
                                GROUP BY r.channel_id) x
                        ORDER BY v DESC OFFSET $4 - 1 LIMIT 1)
                      / ($2::date - $1::date)), 0)::bigint)";

// ---- The variants ----------------------------------------------------------------------------

// A ranking key: sort=, its value on one day of rollup_channel_day_totals (the expression of
// its index there, sql/migrations/0005, 0010 and 0019), and its figure over the window. Over
// a window a channel's value is the sum of its days' (`sums`) or at most their largest (an
// average over the window is a weighted mean of the days' known averages). Every ranking is
// by `descending`: the keys that are not sums may be unknown (NULL), ranked last, as their
// indexes hold them.
struct channel_key {
    std::string_view sort;
    std::string_view day;
    std::string_view window;
    bool sums;
};
constexpr std::array<channel_key, 4> channel_keys{{
    {"hours_watched", "r.watched_ms", "f.watched", true},
    {"hours_streamed", "r.live_ms", "f.live", true},
    {"peak_viewers", "r.peak_viewers", "f.peak_viewers", false},
    {"avg_viewers", "(r.watched_ms::float8 / NULLIF(r.counted_ms, 0))", "f.avg_viewers", false},
}};
constexpr std::string_view descending = " DESC NULLS LAST";
constexpr std::array<std::string_view, 5> channel_sorts{
    "hours_watched", "avg_viewers", "peak_viewers", "hours_streamed", "followers"};

// How many leaders per day leaders_sql reads: a few times the rows asked for, so that the last
// row usually ranks above what the left-out channels could reach (else every channel is
// ranked, which is only slower).
constexpr long long leaders_per_limit = 5;
constexpr long long min_leaders = 100;

// The rows of rollup_channel_day_totals on platform $3, one range scan per day of [$1, $2)
// (each_day), {select} from those that also meet `more`.
std::string each_channel_day(std::string_view select, std::string_view more) {
    return compose(each_day, {{"from", "$1"},
                              {"to", "$2"},
                              {"select", select},
                              {"table", "rollup_channel_day_totals"},
                              {"where", "($3 = '' OR r.platform_id = (SELECT id FROM platforms "
                                        "WHERE name = $3))" +
                                            std::string(more)}});
}

std::string ranked(std::string_view rows, std::string_view order) {
    return compose(ranked_sql,
                   {{"figures", compose(channel_figures, {{"rows", rows}})}, {"order", order}});
}

// Every statement over one source of rows: each key's ranking, and by followers.
struct source_statements {
    std::array<std::string, channel_keys.size()> ranked;
    std::string by_followers;
};

source_statements statements_over(const std::string& rows) {
    source_statements out;
    for (std::size_t k = 0; k < channel_keys.size(); ++k) {
        out.ranked[k] = ranked(rows, std::string(channel_keys[k].window) + std::string(descending));
    }
    const std::string of_top = rows + " AND r.channel_id IN (SELECT id FROM top)";
    out.by_followers =
        compose(by_followers_sql,
                {{"rows", rows}, {"figures_of_top", compose(channel_figures, {{"rows", of_top}})}});
    return out;
}

// The day-window rankings of one key that start from fewer channels than all.
struct pruned_statements {
    std::string from_leaderboard; // summed keys
    std::string threshold;        // summed keys
    std::string from_candidates;  // summed keys: the channels with a day of at least $5
    std::string from_leaders;     // the others
};

pruned_statements pruned_by(const channel_key& key) {
    const std::string day(key.day);
    const std::string order = std::string(key.window) + std::string(descending);
    const std::string totals(from_channel_day_totals);
    pruned_statements out;
    if (key.sums) {
        out.from_leaderboard = ranked(totals + " AND r.channel_id = ANY ($5::integer[])", order);
        out.threshold = compose(
            threshold_sql,
            {{"leaders", each_channel_day("r.channel_id", " ORDER BY " + day + " DESC LIMIT $4")},
             {"day", day}});
        out.from_candidates =
            ranked(totals + " AND r.channel_id = ANY (ARRAY(SELECT DISTINCT t.channel_id FROM " +
                       each_channel_day("r.channel_id", " AND " + day + " >= $5") + "))",
                   order);
    } else {
        out.from_leaders = compose(
            leaders_sql,
            {{"leaders",
              each_channel_day("r.channel_id, " + day + " AS v",
                               " ORDER BY " + day + std::string(descending) + " LIMIT $5")},
             {"figures_of_leaders",
              compose(
                  channel_figures,
                  {{"rows", totals + " AND r.channel_id IN (SELECT channel_id FROM leaders)"}})},
             {"window", key.window}});
    }
    return out;
}

const source_statements over_hours = statements_over(std::string(from_channel_hours));
const source_statements over_hours_narrowed =
    statements_over(std::string(from_channel_hours) + std::string(in_game_and_language));
const source_statements over_days_narrowed =
    statements_over(std::string(from_channel_days) + std::string(in_game_and_language));
const source_statements over_day_totals = statements_over(std::string(from_channel_day_totals));
const std::array<pruned_statements, channel_keys.size()> pruned = [] {
    std::array<pruned_statements, channel_keys.size()> out;
    for (std::size_t k = 0; k < channel_keys.size(); ++k) {
        out[k] = pruned_by(channel_keys[k]);
    }
    return out;
}();

// The statements that rank every channel of the window: by the rollups the window reads,
// narrowed or not.
const source_statements& every_channel(const rollup_window& w, bool narrowed) {
    if (!w.days) {
        return narrowed ? over_hours_narrowed : over_hours;
    }
    return narrowed ? over_days_narrowed : over_day_totals;
}

} // namespace

http::handler stats_channels_top_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query, {"window", "from", "to", "platform", "sort", "game",
                                        "language", "limit", "format"});
        const stats_params c = read_stats_params(params, true);
        const std::string sort = params.one_of("sort", channel_sorts).value_or("hours_watched");
        const std::string game = params.text("game").value_or("");
        const std::string language = params.language("language").value_or("");
        if (const auto& bad = params.error()) {
            co_return invalid_parameter(ctx.req, *bad);
        }
        const rollup_window& w = c.window;
        const bool narrowed = !game.empty() || !language.empty();
        const auto key = static_cast<std::size_t>(
            std::find_if(channel_keys.begin(), channel_keys.end(),
                         [&](const channel_key& k) { return k.sort == sort; }) -
            channel_keys.begin());
        const bool by_followers = key == channel_keys.size();
        // Day windows without a game or language start from fewer channels.
        const pruned_statements* from_fewer =
            w.days && !narrowed && !by_followers ? &pruned[key] : nullptr;
        const source_statements& every = every_channel(w, narrowed);
        const std::string& every_sql = by_followers ? every.by_followers : every.ranked[key];
        json::object answer = co_await shared.db.run([&](pqxx::connection& conn) {
            // One snapshot: a leaderboard names the channels of the day totals it was read with.
            pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx{conn};
            std::optional<pqxx::result> rows;
            if (from_fewer && channel_keys[key].sums) {
                const auto board =
                    tx.exec_params(std::string(leaderboard_sql), w.from, w.to, c.platform, sort);
                if (!board.empty()) {
                    rows = tx.exec_params(from_fewer->from_leaderboard, w.from, w.to, c.platform,
                                          c.limit, board[0][0].c_str());
                } else {
                    const auto threshold =
                        tx.exec_params1(from_fewer->threshold, w.from, w.to, c.platform, c.limit)[0]
                            .as<std::int64_t>();
                    rows = tx.exec_params(from_fewer->from_candidates, w.from, w.to, c.platform,
                                          c.limit, threshold);
                }
            } else if (from_fewer) {
                const long long leaders = std::max(min_leaders, leaders_per_limit * c.limit);
                auto led = tx.exec_params(from_fewer->from_leaders, w.from, w.to, c.platform,
                                          c.limit, leaders);
                if (led.empty() || led[0]["exact"].as<bool>(false)) {
                    rows = std::move(led);
                }
            }
            if (!rows) {
                rows = narrowed ? tx.exec_params(every_sql, w.from, w.to, c.platform, c.limit, game,
                                                 language)
                                : tx.exec_params(every_sql, w.from, w.to, c.platform, c.limit);
            }
            json::array data;
            for (const auto& row : *rows) {
                data.push_back(channel_item(row));
            }
            return json::object{{"data", std::move(data)}, {"meta", window_meta(w)}};
        });
        co_return list_response(ctx.req, c.format, std::move(answer), "channels-top.csv");
    };
}

} // namespace streamscope::api

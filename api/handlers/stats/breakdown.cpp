// GET /stats/languages?window=|from=&to=&platform=&format= and GET /stats/platforms?window=|
// from=&to=&format= — the window's audience by language or by platform, with each one's share
// of the hours watched. From the hour rollups only (they are small): `from` floored to the
// hour, whatever the window's length. Each platform's row says what its figures cover
// (model::platform_coverage): every live stream (Twitch, Kick), or a watchlist of channels
// (YouTube, with the number of channels on it when the collector's table is there).

#include <cstdint>
#include <optional>

#include <boost/json/array.hpp>
#include <pqxx/pqxx>

#include "api/format/csv.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/stats/rollup_window.hpp"
#include "api/handlers/stats/statement.hpp"
#include "common/model/platform.hpp"

namespace streamscope::api {
namespace {

using namespace stats;
namespace json = boost::json;

// $1, $2: the window's hours; $3: a platform name or ''. Per {name} of {rollup}
// (rollup_language_hours or rollup_platform_hours, through its index on the hour): its
// figures, averages over the time the collector covered, and its share of the hours watched.
// Platforms add up: the averages are each platform's over its own covered time, summed; a peak
// is the highest hour's, with the peaks of every platform in that hour added (they may fall at
// different moments of it, so with several platforms it is an upper bound).
constexpr std::string_view breakdown_sql = R"(
WITH covered AS (
    SELECT h.platform_id, sum(h.covered_ms)::float8 AS ms
      FROM rollup_platform_hours h
     WHERE h.hour >= $1::timestamptz AND h.hour < $2::timestamptz
     GROUP BY h.platform_id),
hours AS (
    SELECT {name} AS name, r.hour, sum(r.watched_ms)::float8 AS watched,
           sum(r.channel_ms)::float8 AS channel_ms, sum(r.peak_viewers) AS peak_viewers,
           sum(r.peak_channels) AS peak_channels,
           sum(r.watched_ms / NULLIF(c.ms, 0)) AS avg_viewers,
           sum(r.channel_ms / NULLIF(c.ms, 0)) AS avg_channels
      FROM {rollup} r JOIN covered c USING (platform_id) JOIN platforms p ON p.id = r.platform_id
     WHERE r.hour >= $1::timestamptz AND r.hour < $2::timestamptz AND ($3 = '' OR p.name = $3)
     GROUP BY 1, 2),
f AS (
    SELECT name, sum(watched) AS watched, sum(channel_ms) AS channel_ms,
           max(peak_viewers)::bigint AS peak_viewers, max(peak_channels)::bigint AS peak_channels,
           sum(avg_viewers) AS avg_viewers, sum(avg_channels) AS avg_channels
      FROM hours
     GROUP BY 1)
SELECT f.*, f.watched / NULLIF(sum(f.watched) OVER (), 0) AS share
  FROM f
 ORDER BY f.watched DESC, f.name)";

const std::string languages_sql =
    compose(breakdown_sql, {{"name", "r.language"}, {"rollup", "rollup_language_hours"}});
const std::string platforms_sql =
    compose(breakdown_sql, {{"name", "p.name"}, {"rollup", "rollup_platform_hours"}});

// YouTube's watchlist is the collector's table youtube_channels (sql/migrations/0017), which a
// database migrated before it lacks: the count is read only when the table is there and the
// API's role may read it.
constexpr const char* watchlist_readable_sql = R"(
SELECT to_regclass('youtube_channels') IS NOT NULL
       AND has_table_privilege(to_regclass('youtube_channels'), 'SELECT'))";
constexpr const char* watchlist_size_sql = "SELECT count(*) FROM youtube_channels";

// The number of channels on YouTube's watchlist; nullopt without the table.
std::optional<std::int64_t> youtube_watchlist_size(pqxx::transaction_base& tx) {
    if (!tx.exec1(watchlist_readable_sql)[0].as<bool>()) {
        return std::nullopt;
    }
    return tx.exec1(watchlist_size_sql)[0].as<std::int64_t>();
}

// A platform row's coverage and watched_channels (null but for a watchlist).
void add_coverage(pqxx::transaction_base& tx, const std::string& platform, json::object& item) {
    const auto id = model::parse_platform(platform);
    const auto coverage = id ? model::coverage_of(*id) : model::platform_coverage::all_live_streams;
    item["coverage"] = model::to_string(coverage);
    item["watched_channels"] = nullptr;
    if (id == model::platform::youtube) {
        if (const auto size = youtube_watchlist_size(tx)) {
            item["watched_channels"] = *size;
        }
    }
}

http::handler breakdown(app& shared, bool by_language) {
    return [&shared,
            by_language](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(
            ctx.query, by_language ? std::initializer_list<std::string_view>{"window", "from", "to",
                                                                             "platform", "format"}
                                   : std::initializer_list<std::string_view>{"window", "from", "to",
                                                                             "format"});
        const stats_params c = read_stats_params(params, false);
        if (const auto& bad = params.error()) {
            co_return invalid_parameter(ctx.req, *bad);
        }
        const rollup_window w = hour_bounds(c.window.at);
        json::object answer = co_await shared.db.run([&](pqxx::connection& conn) {
            pqxx::read_transaction tx{conn};
            json::array data;
            for (const auto& row : tx.exec_params(by_language ? languages_sql : platforms_sql,
                                                  w.from, w.to, c.platform)) {
                json::object item;
                const std::string name = row["name"].as<std::string>();
                item[by_language ? "language" : "platform"] = name;
                if (!by_language) {
                    add_coverage(tx, name, item);
                }
                item["hours_watched"] = hours_of(row["watched"].as<double>());
                item["share_pct"] = rounded(or_zero(row["share"]) * 100);
                item["avg_viewers"] = rounded(or_zero(row["avg_viewers"]));
                item["peak_viewers"] = row["peak_viewers"].as<std::int64_t>();
                item["avg_channels"] = rounded(or_zero(row["avg_channels"]));
                item["peak_channels"] = row["peak_channels"].as<std::int64_t>();
                data.push_back(std::move(item));
            }
            return json::object{{"data", std::move(data)}, {"meta", window_meta(w)}};
        });
        co_return list_response(ctx.req, c.format, std::move(answer),
                                by_language ? "stats-languages.csv" : "stats-platforms.csv");
    };
}

} // namespace

http::handler stats_languages_route(app& shared) {
    return breakdown(shared, true);
}

http::handler stats_platforms_route(app& shared) {
    return breakdown(shared, false);
}

} // namespace streamscope::api

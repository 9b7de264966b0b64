// The /stats routes and a game's history: what market research asks of the rollups
// (sql/0003_rollups.sql has the definitions).
//
// Windows shorter than 7 days read the hour rollups (from the hour that holds `from`); longer
// ones read the day rollups, in whole UTC days. Channel averages are per hour streamed (hours
// watched / hours streamed); game, language and platform averages are concurrent viewers over
// the time the collector covered (hours watched / hours covered), so a collector outage does
// not read as an audience drop.

#include <array>
#include <cmath>
#include <string>

#include <boost/json/object.hpp>
#include <pqxx/pqxx>

#include "api/http/errors.hpp"
#include "api/routes/csv.hpp"
#include "api/routes/live_rows.hpp"
#include "api/routes/numbers.hpp"
#include "api/routes/params.hpp"
#include "api/routes/routes.hpp"
#include "api/routes/window.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::api {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono;

constexpr double ms_per_hour = 3'600'000.0;

// A window as the rollup tables see it: which tables, and the bounds their rows must meet.
struct rollup_window {
    bool days = false;     // day tables (7 days or more), else hour tables
    std::string from;      // hour tables: an RFC 3339 time; day tables: a YYYY-MM-DD day
    std::string to;        // exclusive, in the same form
    std::string prev_from; // the previous window of equal length, for growth
    time_window at;
};

std::string day_text(sys_days d) {
    const year_month_day ymd{d};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()));
    return text;
}

rollup_window rollup_bounds(const time_window& w) {
    rollup_window out;
    out.at = w;
    const auto length = w.to - w.from;
    out.days = length >= hours(24 * 7);
    if (out.days) {
        const sys_days first = floor<days>(w.from);
        const sys_days end = ceil<days>(w.to);
        out.from = day_text(first);
        out.to = day_text(end);
        out.prev_from = day_text(first - (end - first));
    } else {
        const auto first = floor<hours>(w.from);
        out.from = time::format_rfc3339(time::timestamp(first));
        out.to = time::format_rfc3339(w.to);
        out.prev_from = time::format_rfc3339(time::timestamp(first - (w.to - first)));
    }
    return out;
}

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

// The time the collector covered per platform within the same bounds, in ms. Day windows
// count only the hours already folded into days (all but each platform's newest hour).
std::string covered_cte(const rollup_window& w, std::string_view from = "$1",
                        std::string_view to = "$2") {
    const std::string bound = w.days ? "::date::timestamp AT TIME ZONE 'UTC'" : "::timestamptz";
    std::string sql = "covered AS (SELECT h.platform_id, sum(h.covered_ms)::float8 AS ms "
                      "FROM rollup_platform_hours h WHERE h.hour >= " +
                      std::string(from) + bound + " AND h.hour < " + std::string(to) + bound;
    if (w.days) {
        sql += " AND h.hour < (SELECT max(n.hour) FROM rollup_platform_hours n "
               "WHERE n.platform_id = h.platform_id)";
    }
    return sql + " GROUP BY h.platform_id)";
}

// A nullable number (an average over nothing is NULL) as 0.
double or_zero(const pqxx::field& f) {
    return f.is_null() ? 0 : f.as<double>();
}

double hours_of(double ms) {
    return std::round(ms / ms_per_hour * 100) / 100;
}
double rounded(double value) {
    return std::round(value * 10) / 10;
}

json::object window_meta(const rollup_window& w) {
    return {{"from", time::format_rfc3339(w.at.from)},
            {"to", time::format_rfc3339(w.at.to)},
            {"resolution", w.days ? "1d" : "1h"}};
}

response bad_request(const request& req, const param_error& e) {
    return error_response(req, http::status::bad_request, "invalid_parameter", e.message,
                          e.parameter);
}

time::timestamp now() {
    return time::timestamp(duration_cast<microseconds>(system_clock::now().time_since_epoch()));
}

// The parameters most stats routes share.
struct common_params {
    std::string format;
    std::string platform; // '' all
    long long limit = 20;
    rollup_window window;
};

common_params read_common(query_params& params, bool with_limit) {
    common_params c;
    c.format = params.one_of("format", formats).value_or("json");
    c.platform = params.one_of("platform", platform_names).value_or("");
    if (with_limit) {
        c.limit = params.integer("limit", 1, 100, 20);
    }
    c.window = rollup_bounds(parse_window(params, now(), "7d"));
    return c;
}

// ---- /stats/summary ------------------------------------------------------------------------

handler summary(app& shared) {
    return [&shared](request_context& ctx) -> boost::asio::awaitable<response> {
        query_params params(ctx.query, {"window", "from", "to", "platform", "format"});
        const common_params c = read_common(params, false);
        if (const auto& bad = params.error()) {
            co_return bad_request(ctx.req, *bad);
        }
        const rollup_window& w = c.window;
        const std::string sql =
            "WITH " + covered_cte(w) +
            ", plat AS (SELECT r.platform_id, sum(r.watched_ms)::float8 AS watched, "
            "sum(r.channel_ms)::float8 AS channel_ms FROM rollup_platform_hours r WHERE r.hour >= "
            "$4::timestamptz AND r.hour < $5::timestamptz "
            "AND ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3)) "
            "GROUP BY r.platform_id), "
            "peak AS (SELECT max(v) AS viewers, max(ch) AS channels FROM (SELECT r.hour, "
            "sum(r.peak_viewers) AS v, sum(r.peak_channels) AS ch FROM rollup_platform_hours r "
            "WHERE r.hour >= $4::timestamptz AND r.hour < $5::timestamptz "
            "AND ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3)) "
            "GROUP BY r.hour) x) "
            "SELECT (SELECT count(DISTINCT r.channel_id) FROM " +
            table(w, "channel") + " r WHERE " + in_window(w) +
            " AND ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3))), "
            "COALESCE((SELECT sum(watched) FROM plat), 0), "
            "COALESCE((SELECT sum(channel_ms) FROM plat), 0), "
            "COALESCE((SELECT sum(p.watched / NULLIF(c.ms, 0)) FROM plat p "
            "JOIN covered c USING (platform_id)), 0), "
            "COALESCE((SELECT viewers FROM peak), 0), COALESCE((SELECT channels FROM peak), 0)";
        // Hours of the platform rollup that the day tables' bounds cover.
        const std::string hour_from = w.days ? w.from + "T00:00:00Z" : w.from;
        const std::string hour_to = w.days ? w.to + "T00:00:00Z" : w.to;
        json::object answer = co_await shared.db.run([&](pqxx::connection& conn) {
            pqxx::read_transaction tx{conn};
            const auto row = tx.exec_params1(sql, w.from, w.to, c.platform, hour_from, hour_to);
            json::object data{
                {"channels_live", row[0].as<std::int64_t>()},
                {"hours_watched", hours_of(row[1].as<double>())},
                {"hours_streamed", hours_of(row[2].as<double>())},
                {"avg_viewers", rounded(row[3].as<double>())},
                {"peak_viewers", row[4].as<std::int64_t>()},
                {"peak_channels", row[5].as<std::int64_t>()},
            };
            return json::object{{"data", std::move(data)}, {"meta", window_meta(w)}};
        });
        if (c.format == "csv") {
            json::array one{answer["data"]};
            co_return csv_response(ctx.req, csv_from_items(one), "stats-summary.csv");
        }
        co_return json_answer(ctx.req, answer);
    };
}

// ---- /stats/games/top and /stats/games/trending ----------------------------------------------

constexpr std::array<std::string_view, 4> game_sorts{"hours_watched", "avg_viewers", "peak_viewers",
                                                     "channels"};

std::string game_order(std::string_view sort) {
    if (sort == "avg_viewers") {
        return "avg_viewers DESC";
    }
    if (sort == "peak_viewers") {
        return "peak_viewers DESC";
    }
    if (sort == "channels") {
        return "avg_channels DESC";
    }
    return "watched DESC";
}

// Per game within [$a, $b): watched ms, channel ms, peaks and the averages over covered time.
std::string game_figures(const rollup_window& w, std::string_view a, std::string_view b) {
    return "SELECT r.game_id, r.platform_id, sum(r.watched_ms)::float8 AS watched, "
           "sum(r.channel_ms)::float8 AS channel_ms, max(r.peak_viewers) AS peak_viewers, "
           "max(r.peak_channels) AS peak_channels, "
           "sum(r.watched_ms)::float8 / NULLIF(max(c.ms), 0) AS avg_viewers, "
           "sum(r.channel_ms)::float8 / NULLIF(max(c.ms), 0) AS avg_channels FROM " +
           table(w, "game") + " r JOIN covered_" + std::string(a == "$1" ? "now" : "prev") +
           " c USING (platform_id) WHERE " + in_window(w, a, b) +
           " AND ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3)) "
           "GROUP BY r.game_id, r.platform_id";
}

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

handler games_top(app& shared) {
    return [&shared](request_context& ctx) -> boost::asio::awaitable<response> {
        query_params params(ctx.query,
                            {"window", "from", "to", "platform", "sort", "limit", "format"});
        const common_params c = read_common(params, true);
        const std::string sort = params.one_of("sort", game_sorts).value_or("hours_watched");
        if (const auto& bad = params.error()) {
            co_return bad_request(ctx.req, *bad);
        }
        const rollup_window& w = c.window;
        std::string covered_now = covered_cte(w);
        covered_now.replace(0, 7, "covered_now");
        const std::string sql = "WITH " + covered_now + ", f AS (" + game_figures(w, "$1", "$2") +
                                ") SELECT f.*, g.platform_game_id, g.name, p.name AS platform "
                                "FROM f JOIN games g ON g.id = f.game_id "
                                "JOIN platforms p ON p.id = f.platform_id ORDER BY " +
                                game_order(sort) + ", g.id LIMIT $4";
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

handler games_trending(app& shared) {
    return [&shared](request_context& ctx) -> boost::asio::awaitable<response> {
        query_params params(
            ctx.query, {"window", "from", "to", "platform", "min_avg_viewers", "limit", "format"});
        const common_params c = read_common(params, true);
        const long long min_avg = params.integer("min_avg_viewers", 0, 1'000'000'000, 10);
        if (const auto& bad = params.error()) {
            co_return bad_request(ctx.req, *bad);
        }
        const rollup_window& w = c.window;
        std::string covered_now = covered_cte(w);
        covered_now.replace(0, 7, "covered_now");
        std::string covered_prev = covered_cte(w, "$5", "$1");
        covered_prev.replace(0, 7, "covered_prev");
        // Growth of average viewers against the previous window of the same length; games
        // below the size threshold now, or absent before, do not qualify (noise).
        const std::string sql =
            "WITH " + covered_now + ", " + covered_prev + ", now_f AS (" +
            game_figures(w, "$1", "$2") + "), prev_f AS (" + game_figures(w, "$5", "$1") +
            ") SELECT n.*, g.platform_game_id, g.name, p.name AS platform, "
            "pr.avg_viewers AS prev_avg_viewers, "
            "(n.avg_viewers - pr.avg_viewers) / pr.avg_viewers AS growth "
            "FROM now_f n JOIN prev_f pr USING (game_id, platform_id) "
            "JOIN games g ON g.id = n.game_id JOIN platforms p ON p.id = n.platform_id "
            "WHERE n.avg_viewers >= $6 AND pr.avg_viewers > 0 "
            "ORDER BY growth DESC, g.id LIMIT $4";
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

// ---- /stats/channels/top and /stats/channels/rising ------------------------------------------

constexpr std::array<std::string_view, 5> channel_sorts{
    "hours_watched", "avg_viewers", "peak_viewers", "hours_streamed", "followers"};

// Per channel within [$a, $b), narrowed to a game ($4: id or name) and a language ($5).
std::string channel_figures(const rollup_window& w, std::string_view a, std::string_view b) {
    return "SELECT r.channel_id, sum(r.watched_ms)::float8 AS watched, "
           "sum(r.live_ms)::float8 AS live, max(r.peak_viewers) AS peak_viewers, "
           "sum(r.watched_ms)::float8 / NULLIF(sum(r.live_ms), 0) AS avg_viewers FROM " +
           table(w, "channel") + " r WHERE " + in_window(w, a, b) +
           " AND ($3 = '' OR r.platform_id = (SELECT id FROM platforms WHERE name = $3))"
           " AND ($4 = '' OR r.game_id IN (SELECT id FROM games WHERE platform_game_id = $4 "
           "OR lower(name) = lower($4)))"
           " AND ($5 = '' OR r.language = $5) GROUP BY r.channel_id";
}

json::object channel_item(const pqxx::row& row) {
    return {{"platform", row["platform"].as<std::string>()},
            {"channel_id", row["platform_user_id"].as<std::string>()},
            {"username", row["login"].as<std::string>()},
            {"display_name", row["display_name"].as<std::string>()},
            {"hours_watched", hours_of(row["watched"].as<double>())},
            {"hours_streamed", hours_of(row["live"].as<double>())},
            {"avg_viewers", rounded(or_zero(row["avg_viewers"]))},
            {"peak_viewers", row["peak_viewers"].as<std::int64_t>()},
            {"followers", row["follower_count"].is_null()
                              ? json::value(nullptr)
                              : json::value(row["follower_count"].as<std::int64_t>())}};
}

constexpr const char* channel_columns =
    "c.platform_user_id, c.login, c.display_name, c.follower_count, p.name AS platform";

handler channels_top(app& shared) {
    return [&shared](request_context& ctx) -> boost::asio::awaitable<response> {
        query_params params(ctx.query, {"window", "from", "to", "platform", "sort", "game",
                                        "language", "limit", "format"});
        const common_params c = read_common(params, true);
        const std::string sort = params.one_of("sort", channel_sorts).value_or("hours_watched");
        const std::string game = params.text("game").value_or("");
        const std::string language = params.language("language").value_or("");
        if (const auto& bad = params.error()) {
            co_return bad_request(ctx.req, *bad);
        }
        const rollup_window& w = c.window;
        std::string order = "f.watched DESC";
        if (sort == "avg_viewers") {
            order = "f.avg_viewers DESC";
        } else if (sort == "peak_viewers") {
            order = "f.peak_viewers DESC";
        } else if (sort == "hours_streamed") {
            order = "f.live DESC";
        } else if (sort == "followers") {
            order = "c.follower_count DESC NULLS LAST";
        }
        const std::string sql = "WITH f AS (" + channel_figures(w, "$1", "$2") + ") SELECT f.*, " +
                                channel_columns +
                                " FROM f JOIN channels c ON c.id = f.channel_id "
                                "JOIN platforms p ON p.id = c.platform_id ORDER BY " +
                                order + ", c.id LIMIT $6";
        json::object answer = co_await shared.db.run([&](pqxx::connection& conn) {
            pqxx::read_transaction tx{conn};
            json::array data;
            for (const auto& row :
                 tx.exec_params(sql, w.from, w.to, c.platform, game, language, c.limit)) {
                data.push_back(channel_item(row));
            }
            return json::object{{"data", std::move(data)}, {"meta", window_meta(w)}};
        });
        co_return list_response(ctx.req, c.format, std::move(answer), "channels-top.csv");
    };
}

constexpr std::array<std::string_view, 2> rising_sorts{"avg_viewers", "followers"};

handler channels_rising(app& shared) {
    return [&shared](request_context& ctx) -> boost::asio::awaitable<response> {
        query_params params(ctx.query, {"window", "from", "to", "platform", "sort",
                                        "min_avg_viewers", "limit", "format"});
        const common_params c = read_common(params, true);
        const std::string sort = params.one_of("sort", rising_sorts).value_or("avg_viewers");
        const long long min_avg = params.integer("min_avg_viewers", 0, 1'000'000'000, 10);
        if (const auto& bad = params.error()) {
            co_return bad_request(ctx.req, *bad);
        }
        const rollup_window& w = c.window;
        // Both windows need an hour streamed at least, so that one short stream is not a trend.
        const std::string sql =
            "WITH now_f AS (" + channel_figures(w, "$1", "$2") + "), prev_f AS (" +
            channel_figures(w, "$6", "$1") +
            "), followers AS (SELECT n.channel_id, "
            "(SELECT followers FROM channel_follower_days d WHERE d.channel_id = n.channel_id "
            "AND d.day < $2::date ORDER BY d.day DESC LIMIT 1) - (SELECT followers FROM "
            "channel_follower_days d WHERE d.channel_id = n.channel_id AND d.day < $1::date "
            "ORDER BY d.day DESC LIMIT 1) AS gain FROM now_f n) "
            "SELECT n.*, pr.avg_viewers AS prev_avg_viewers, "
            "(n.avg_viewers - pr.avg_viewers) / pr.avg_viewers AS growth, fo.gain, " +
            std::string(channel_columns) +
            " FROM now_f n JOIN prev_f pr USING (channel_id) JOIN followers fo USING (channel_id) "
            "JOIN channels c ON c.id = n.channel_id JOIN platforms p ON p.id = c.platform_id "
            "WHERE n.avg_viewers >= $7 AND pr.avg_viewers > 0 AND n.live >= 3600000 "
            "AND pr.live >= 3600000 ORDER BY " +
            std::string(sort == "followers" ? "fo.gain DESC NULLS LAST" : "growth DESC") +
            ", c.id LIMIT $8";
        json::object answer = co_await shared.db.run([&](pqxx::connection& conn) {
            pqxx::read_transaction tx{conn};
            json::array data;
            const std::string no_game;
            const std::string no_language;
            for (const auto& row : tx.exec_params(sql, w.from, w.to, c.platform, no_game,
                                                  no_language, w.prev_from, min_avg, c.limit)) {
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

// ---- /stats/languages and /stats/platforms ---------------------------------------------------

// Hourly rollups only (they are small): `from` floored to the hour, whatever the window.
handler breakdown(app& shared, bool by_language) {
    return [&shared, by_language](request_context& ctx) -> boost::asio::awaitable<response> {
        query_params params(
            ctx.query, by_language ? std::initializer_list<std::string_view>{"window", "from", "to",
                                                                             "platform", "format"}
                                   : std::initializer_list<std::string_view>{"window", "from", "to",
                                                                             "format"});
        common_params c = read_common(params, false);
        if (const auto& bad = params.error()) {
            co_return bad_request(ctx.req, *bad);
        }
        rollup_window w = c.window;
        w.days = false;
        w.from = time::format_rfc3339(time::timestamp(floor<hours>(w.at.from)));
        w.to = time::format_rfc3339(w.at.to);
        const std::string key = by_language ? "r.language" : "p.name";
        const std::string source = by_language ? "rollup_language_hours" : "rollup_platform_hours";
        const std::string sql =
            "WITH " + covered_cte(w) + ", f AS (SELECT " + key +
            " AS name, sum(r.watched_ms)::float8 AS watched, "
            "sum(r.channel_ms)::float8 AS channel_ms, max(r.peak_viewers) AS peak_viewers, "
            "max(r.peak_channels) AS peak_channels, "
            "sum(r.watched_ms / NULLIF(c.ms, 0)) AS avg_viewers, "
            "sum(r.channel_ms / NULLIF(c.ms, 0)) AS avg_channels FROM " +
            source +
            " r JOIN covered c USING (platform_id) JOIN platforms p ON p.id = r.platform_id "
            "WHERE r.hour >= $1::timestamptz AND r.hour < $2::timestamptz "
            "AND ($3 = '' OR p.name = $3) GROUP BY 1) "
            "SELECT f.*, f.watched / NULLIF(sum(f.watched) OVER (), 0) AS share FROM f "
            "ORDER BY f.watched DESC, f.name";
        json::object answer = co_await shared.db.run([&](pqxx::connection& conn) {
            pqxx::read_transaction tx{conn};
            json::array data;
            for (const auto& row : tx.exec_params(sql, w.from, w.to, c.platform)) {
                json::object item;
                item[by_language ? "language" : "platform"] = row["name"].as<std::string>();
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

// ---- /stats/heatmap --------------------------------------------------------------------------

handler heatmap(app& shared) {
    return [&shared](request_context& ctx) -> boost::asio::awaitable<response> {
        query_params params(
            ctx.query, {"window", "from", "to", "platform", "game", "channel", "tz", "format"});
        common_params c = read_common(params, false);
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
            co_return bad_request(ctx.req, *bad);
        }
        rollup_window w = c.window;
        w.days = false;
        w.from = time::format_rfc3339(time::timestamp(floor<hours>(w.at.from)));
        w.to = time::format_rfc3339(w.at.to);
        // Average concurrent viewers per local weekday and hour: watched time over the time
        // the collector covered in those hours.
        // $4: the game or the channel, or '' for every stream.
        std::string source = "SELECT r.platform_id, r.hour, r.watched_ms "
                             "FROM rollup_platform_hours r WHERE $4::text = ''";
        if (!game.empty()) {
            source = "SELECT r.platform_id, r.hour, r.watched_ms FROM rollup_game_hours r "
                     "JOIN games g ON g.id = r.game_id "
                     "WHERE (g.platform_game_id = $4 OR lower(g.name) = lower($4))";
        } else if (!channel.empty()) {
            source = "SELECT r.platform_id, r.hour, sum(r.watched_ms) AS watched_ms "
                     "FROM rollup_channel_hours r JOIN channels ch ON ch.id = r.channel_id "
                     "WHERE (ch.login = $4 OR ch.login = lower($4)) GROUP BY 1, 2";
        }
        const std::string sql =
            "WITH src AS (" + source +
            "), cells AS (SELECT extract(isodow FROM h.hour AT TIME ZONE $5)::int AS weekday, "
            "extract(hour FROM h.hour AT TIME ZONE $5)::int AS hour, "
            "sum(COALESCE(s.watched_ms, 0))::float8 / NULLIF(sum(h.covered_ms), 0) AS avg, "
            "count(*) AS samples FROM rollup_platform_hours h "
            "LEFT JOIN src s ON s.platform_id = h.platform_id AND s.hour = h.hour "
            "JOIN platforms p ON p.id = h.platform_id "
            "WHERE h.hour >= $1::timestamptz AND h.hour < $2::timestamptz "
            "AND ($3 = '' OR p.name = $3) GROUP BY 1, 2) "
            "SELECT weekday, hour, avg, samples FROM cells ORDER BY weekday, hour";
        std::optional<json::object> answer =
            co_await shared.db.run([&](pqxx::connection& conn) -> std::optional<json::object> {
                pqxx::read_transaction tx{conn};
                // Cheaper than a look-up in pg_timezone_names (which reads the zone files):
                // PostgreSQL refuses an unknown zone with SQLSTATE 22023.
                try {
                    tx.exec_params("SELECT now() AT TIME ZONE $1", tz);
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
            co_return error_response(ctx.req, http::status::bad_request, "invalid_parameter",
                                     "not a time zone PostgreSQL knows; an IANA name such as "
                                     "Europe/Berlin",
                                     "tz");
        }
        co_return list_response(ctx.req, c.format, std::move(*answer), "stats-heatmap.csv");
    };
}

// ---- /games/{platform}/{id}/history ----------------------------------------------------------

constexpr std::array<std::string_view, 2> resolutions{"1h", "1d"};

handler game_history(app& shared) {
    return [&shared](request_context& ctx) -> boost::asio::awaitable<response> {
        query_params params(ctx.query, {"window", "from", "to", "resolution", "format"});
        common_params c = read_common(params, false);
        const std::string platform = ctx.path_params["platform"];
        const std::string game_id = ctx.path_params["id"];
        const auto resolution = params.one_of("resolution", resolutions);
        if (platform_id(platform) == 0) {
            params.reject("platform", "must be one of: twitch, kick, youtube");
        }
        if (const auto& bad = params.error()) {
            co_return bad_request(ctx.req, *bad);
        }
        rollup_window w = c.window;
        if (resolution) {
            w = rollup_bounds(w.at);
            if ((*resolution == "1d") != w.days) {
                w.days = *resolution == "1d";
                w.from = w.days ? day_text(floor<days>(w.at.from))
                                : time::format_rfc3339(time::timestamp(floor<hours>(w.at.from)));
                w.to = w.days ? day_text(ceil<days>(w.at.to)) : time::format_rfc3339(w.at.to);
            }
        }
        const std::string bucket = w.days ? "(r.day::timestamp AT TIME ZONE 'UTC')" : "r.hour";
        const std::string covered =
            w.days ? "(SELECT sum(h.covered_ms) FROM rollup_platform_hours h WHERE h.platform_id "
                     "= r.platform_id AND h.hour >= r.day::timestamp AT TIME ZONE 'UTC' AND "
                     "h.hour < (r.day + 1)::timestamp AT TIME ZONE 'UTC')"
                   : "(SELECT h.covered_ms FROM rollup_platform_hours h WHERE h.platform_id = "
                     "r.platform_id AND h.hour = r.hour)";
        const std::string sql = "SELECT (extract(epoch FROM " + bucket +
                                ") * 1000000)::bigint, r.watched_ms, " + covered +
                                ", r.peak_viewers, r.channel_ms, r.peak_channels, g.name FROM " +
                                table(w, "game") +
                                " r JOIN games g ON g.id = r.game_id "
                                "WHERE g.platform_id = $3 AND g.platform_game_id = $4 AND " +
                                in_window(w) + " ORDER BY 1";
        std::optional<json::object> answer =
            co_await shared.db.run([&](pqxx::connection& conn) -> std::optional<json::object> {
                pqxx::read_transaction tx{conn};
                const auto name = tx.exec_params(
                    "SELECT name FROM games WHERE platform_id = $1 AND platform_game_id = $2",
                    platform_id(platform), game_id);
                if (name.empty()) {
                    return std::nullopt;
                }
                json::array data;
                for (const auto& row :
                     tx.exec_params(sql, w.from, w.to, platform_id(platform), game_id)) {
                    const double covered_ms = or_zero(row[2]);
                    const double watched = row[1].as<double>();
                    data.push_back(json::object{
                        {"time", time::format_rfc3339(
                                     time::timestamp(microseconds(row[0].as<std::int64_t>())))},
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
            co_return error_response(ctx.req, http::status::not_found, "not_found",
                                     "no game with this id has been seen on this platform");
        }
        co_return list_response(ctx.req, c.format, std::move(*answer), "game-history.csv");
    };
}

} // namespace

handler stats_summary_route(app& shared) {
    return summary(shared);
}
handler stats_games_top_route(app& shared) {
    return games_top(shared);
}
handler stats_games_trending_route(app& shared) {
    return games_trending(shared);
}
handler stats_channels_top_route(app& shared) {
    return channels_top(shared);
}
handler stats_channels_rising_route(app& shared) {
    return channels_rising(shared);
}
handler stats_languages_route(app& shared) {
    return breakdown(shared, true);
}
handler stats_platforms_route(app& shared) {
    return breakdown(shared, false);
}
handler stats_heatmap_route(app& shared) {
    return heatmap(shared);
}
handler game_history_route(app& shared) {
    return game_history(shared);
}

} // namespace streamscope::api

// The channel routes, by platform and login (on YouTube a handle, with or without "@", or a
// channel id: api/params/channel_name.hpp):
//   GET /channels/{platform}/{login}?window=   profile, current stream, summary for the window
//   GET /channels/{platform}/{login}/history?window=&from=&to=&resolution=raw|1h|1d
//   GET /channels/{platform}/{login}/streams?limit=   past broadcasts, newest first
// A channel's snapshots are found through the bucket index (stream_id / 16), broadcast by
// broadcast. Hours streamed count the time between consecutive sightings of a broadcast when
// they are at most 30 minutes apart (a longer gap is the collector's outage, not the stream's);
// hours watched weigh that time by the viewers at its start. A hidden viewer count (NULL, YouTube)
// is unknown, never 0: averages and peaks skip it, its time counts as streamed but adds no time
// watched, and hours watched are null when every count was hidden.

#include <algorithm>
#include <array>
#include <cmath>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

#include "api/format/csv.hpp"
#include "api/format/timestamps.hpp"
#include "api/handlers/handlers.hpp"
#include "api/params/channel_name.hpp"
#include "api/params/platform.hpp"
#include "api/params/query_params.hpp"
#include "api/params/time_window.hpp"
#include "common/http/response.hpp"

namespace streamscope::api {
namespace {

namespace json = boost::json;

// $2: a login, $3: a channel id or '' (api/params/channel_name.hpp). Logins are reused after
// renames: the channel that carried it last. Twitch logins and YouTube handles are stored in
// lower case, so a login typed with capitals is found too. A channel id names one channel
// (channels' unique key), preferred over a handle of the same spelling. Last seen: while a
// broadcast is open, its newest snapshot (channels.last_seen_at holds the end of the latest
// ended one). Through channels_login_idx and the (platform_id, platform_user_id) key.
constexpr const char* channel_sql = R"(
SELECT c.id, p.name, c.platform_user_id, c.login, c.display_name, c.description,
       c.profile_image_url, c.broadcaster_type, c.follower_count,
       (extract(epoch FROM c.account_created_at) * 1000000)::bigint,
       (extract(epoch FROM c.first_seen_at) * 1000000)::bigint,
       (extract(epoch FROM greatest(c.last_seen_at, live.seen_at)) * 1000000)::bigint
  FROM channels c JOIN platforms p ON p.id = c.platform_id
  LEFT JOIN LATERAL (
      SELECT max(s.collected_at) AS seen_at
        FROM streams st
        JOIN LATERAL (SELECT x.collected_at FROM snapshots x
                       WHERE x.stream_id / 16 = st.id / 16 AND x.stream_id = st.id
                       ORDER BY x.collected_at DESC LIMIT 1) s ON true
       WHERE st.channel_id = c.id AND st.ended_at IS NULL) live ON true
 WHERE p.name = $1 AND (c.login = $2 OR c.login = lower($2) OR c.platform_user_id = $3)
 ORDER BY c.platform_user_id = $3 DESC, greatest(c.last_seen_at, live.seen_at) DESC LIMIT 1)";

constexpr const char* current_stream_sql = R"(
SELECT st.platform_stream_id, st.title, COALESCE(g.platform_game_id, ''), COALESCE(g.name, ''),
       st.language, (extract(epoch FROM st.started_at) * 1000000)::bigint, s.viewer_count,
       (extract(epoch FROM s.collected_at) * 1000000)::bigint
  FROM streams st
  LEFT JOIN games g ON g.id = st.game_id
  JOIN LATERAL (SELECT viewer_count, collected_at FROM snapshots x
                 WHERE x.stream_id / 16 = st.id / 16 AND x.stream_id = st.id
                 ORDER BY collected_at DESC LIMIT 1) s ON true
 WHERE st.channel_id = $1 AND st.ended_at IS NULL
 ORDER BY st.started_at DESC LIMIT 1)";

// $1 channel, $2/$3 the window in µs.
constexpr const char* points_cte = R"(
WITH pts AS (
    SELECT s.stream_id, s.collected_at, s.viewer_count,
           lead(s.collected_at) OVER (PARTITION BY s.stream_id ORDER BY s.collected_at) AS next_at
      FROM streams st
      JOIN snapshots s ON s.stream_id / 16 = st.id / 16 AND s.stream_id = st.id
     WHERE st.channel_id = $1
       AND s.collected_at >= timestamptz 'epoch' + $2 * interval '1 microsecond'
       AND s.collected_at < timestamptz 'epoch' + $3 * interval '1 microsecond'),
spans AS (
    SELECT *, CASE WHEN next_at - collected_at <= interval '30 minutes'
                   THEN extract(epoch FROM next_at - collected_at) ELSE 0 END AS seconds
      FROM pts))";

const std::string summary_sql = std::string(points_cte) + R"(
SELECT count(*), avg(viewer_count)::float8, max(viewer_count), count(DISTINCT stream_id),
       COALESCE(sum(seconds), 0) / 3600,
       CASE WHEN count(*) > 0 AND count(viewer_count) = 0 THEN NULL
            ELSE COALESCE(sum(seconds * viewer_count), 0) / 3600 END
  FROM spans)";

const std::string buckets_sql = std::string(points_cte) + R"(
SELECT (extract(epoch FROM date_trunc($4, collected_at)) * 1000000)::bigint,
       avg(viewer_count)::float8, max(viewer_count), count(*)
  FROM spans GROUP BY 1 ORDER BY 1)";

const std::string raw_sql = std::string(points_cte) + R"(
SELECT (extract(epoch FROM collected_at) * 1000000)::bigint, viewer_count
  FROM spans ORDER BY collected_at)";

// Every state a broadcast entered within the window: its title and game from then on.
constexpr const char* changes_sql = R"(
SELECT (extract(epoch FROM x.since) * 1000000)::bigint, x.title,
       COALESCE(g.platform_game_id, ''), COALESCE(g.name, ''), st.platform_stream_id
  FROM streams st
  CROSS JOIN LATERAL (SELECT st.state_since AS since, st.title, st.game_id
                      UNION ALL
                      SELECT ss.since, ss.title, ss.game_id FROM stream_states ss
                       WHERE ss.stream_id = st.id) x
  LEFT JOIN games g ON g.id = x.game_id
 WHERE st.channel_id = $1
   AND x.since >= timestamptz 'epoch' + $2 * interval '1 microsecond'
   AND x.since < timestamptz 'epoch' + $3 * interval '1 microsecond'
 ORDER BY x.since)";

constexpr const char* broadcasts_sql = R"(
SELECT st.platform_stream_id, st.title,
       (extract(epoch FROM st.started_at) * 1000000)::bigint,
       (extract(epoch FROM st.ended_at) * 1000000)::bigint,
       agg.samples, agg.avg_viewers, agg.peak, agg.last_seen, agg.watched_s, agg.streamed_s,
       (SELECT COALESCE(json_agg(DISTINCT jsonb_build_object('game_id', g.platform_game_id,
                                                             'game_name', g.name)), '[]')
          FROM (SELECT st.game_id AS game_id UNION
                SELECT ss.game_id FROM stream_states ss WHERE ss.stream_id = st.id) gs
          JOIN games g ON g.id = gs.game_id)
  FROM streams st
  CROSS JOIN LATERAL (
      SELECT count(*) AS samples, avg(viewer_count)::float8 AS avg_viewers,
             max(viewer_count) AS peak,
             (extract(epoch FROM max(collected_at)) * 1000000)::bigint AS last_seen,
             CASE WHEN count(*) > 0 AND count(viewer_count) = 0 THEN NULL
                  ELSE COALESCE(sum(seconds * viewer_count), 0) END AS watched_s,
             COALESCE(sum(seconds), 0) AS streamed_s
        FROM (SELECT viewer_count, collected_at,
                     CASE WHEN lead(collected_at) OVER w - collected_at <= interval '30 minutes'
                          THEN extract(epoch FROM lead(collected_at) OVER w - collected_at)
                          ELSE 0 END AS seconds
                FROM snapshots s
               WHERE s.stream_id / 16 = st.id / 16 AND s.stream_id = st.id
              WINDOW w AS (ORDER BY collected_at)) p) agg
 WHERE st.channel_id = $1
 ORDER BY st.started_at DESC
 LIMIT $2)";

struct channel_row {
    std::int64_t id = 0;
    json::object profile;
};

json::value nullable_text(const pqxx::field& f) {
    return f.is_null() ? json::value(nullptr) : json::value(f.c_str());
}

json::value nullable_time(const pqxx::field& f) {
    return f.is_null() ? json::value(nullptr) : json::value(rfc3339_us(f.as<std::int64_t>()));
}

json::value nullable_int(const pqxx::field& f) {
    return f.is_null() ? json::value(nullptr) : json::value(f.as<std::int64_t>());
}

double round2(double v) {
    return std::round(v * 100) / 100;
}

// The channel that `login` names on `platform` (a name that parse_platform() knows).
std::optional<channel_row> find_channel(pqxx::transaction_base& tx, const std::string& platform,
                                        const std::string& login) {
    const channel_name name = parse_channel_name(
        model::parse_platform(platform).value_or(model::platform::twitch), login);
    const pqxx::result rows = tx.exec_params(channel_sql, platform, name.login, name.channel_id);
    if (rows.empty()) {
        return std::nullopt;
    }
    const auto& r = rows[0];
    channel_row out;
    out.id = r[0].as<std::int64_t>();
    out.profile = {{"platform", r[1].c_str()},
                   {"channel_id", r[2].c_str()},
                   {"username", r[3].c_str()},
                   {"display_name", r[4].c_str()},
                   {"description", nullable_text(r[5])},
                   {"profile_image_url", nullable_text(r[6])},
                   {"broadcaster_type", nullable_text(r[7])},
                   {"follower_count", nullable_int(r[8])},
                   {"account_created_at", nullable_time(r[9])},
                   {"first_seen_at", nullable_time(r[10])},
                   {"last_seen_at", nullable_time(r[11])}};
    return out;
}

// The path's platform and login, checked; a refusal when they are wrong.
std::optional<http::response> check_path(http::request_context& ctx) {
    const std::string& platform = ctx.path_params.at("platform");
    if (platform_id(platform) == 0) {
        return http::error_response(ctx.req, boost::beast::http::status::bad_request,
                                    "invalid_parameter",
                                    "must be one of: " + model::platform_names(), "platform");
    }
    if (ctx.path_params.at("login").empty() || ctx.path_params.at("login").size() > 100) {
        return http::error_response(ctx.req, boost::beast::http::status::bad_request,
                                    "invalid_parameter", "1 to 100 characters", "login");
    }
    return std::nullopt;
}

http::response no_such_channel(http::request_context& ctx) {
    return http::error_response(ctx.req, boost::beast::http::status::not_found, "not_found",
                                "no channel " + ctx.path_params.at("login") + " on " +
                                    ctx.path_params.at("platform") + " has been seen");
}

time::timestamp now_us() {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
}

std::int64_t us(time::timestamp t) {
    return t.time_since_epoch().count();
}

json::object window_meta(const time_window& w) {
    return {{"from", time::format_rfc3339(w.from)}, {"to", time::format_rfc3339(w.to)}};
}

// The channel routes' common part: the path checked, a parameter problem answered, the
// path's channel found and `render(tx, channel)` run on a database thread, the page answered
// in `format`; 404 when the channel was never seen.
template <typename Render>
boost::asio::awaitable<http::response>
answer_for_channel(app& shared, http::request_context& ctx, const query_params& params,
                   const std::string& format, std::string_view csv_suffix, Render render) {
    if (auto refusal = check_path(ctx)) {
        co_return std::move(*refusal);
    }
    if (const auto& bad = params.error()) {
        co_return invalid_parameter(ctx.req, *bad);
    }
    std::optional<json::object> page =
        co_await shared.db.run([&](pqxx::connection& c) -> std::optional<json::object> {
            pqxx::read_transaction tx{c};
            auto channel =
                find_channel(tx, ctx.path_params.at("platform"), ctx.path_params.at("login"));
            if (!channel) {
                return std::nullopt;
            }
            return render(tx, *channel);
        });
    if (!page) {
        co_return no_such_channel(ctx);
    }
    co_return list_response(ctx.req, format, std::move(*page),
                            ctx.path_params.at("login") + std::string(csv_suffix));
}

} // namespace

http::handler channel_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query, {"window", "from", "to"});
        const time_window window = parse_window(params, now_us(), "7d");
        co_return co_await answer_for_channel(
            shared, ctx, params, "json", ".csv",
            [&](pqxx::transaction_base& tx, channel_row& channel) -> json::object {
                json::object data = std::move(channel.profile);
                const pqxx::result live = tx.exec_params(current_stream_sql, channel.id);
                if (live.empty()) {
                    data["live"] = false;
                    data["current_stream"] = nullptr;
                } else {
                    const auto& r = live[0];
                    data["live"] = true;
                    data["current_stream"] = {{"stream_id", r[0].c_str()},
                                              {"title", r[1].c_str()},
                                              {"game_id", r[2].c_str()},
                                              {"game_name", r[3].c_str()},
                                              {"language", r[4].c_str()},
                                              {"started_at", nullable_time(r[5])},
                                              {"viewer_count", nullable_int(r[6])},
                                              {"collected_at", nullable_time(r[7])}};
                }
                const auto s =
                    tx.exec_params(summary_sql, channel.id, us(window.from), us(window.to))[0];
                json::object summary = window_meta(window);
                summary["snapshots"] = s[0].as<std::int64_t>();
                summary["avg_viewers"] =
                    s[1].is_null() ? json::value(nullptr) : json::value(round2(s[1].as<double>()));
                summary["peak_viewers"] = nullable_int(s[2]);
                summary["broadcasts"] = s[3].as<std::int64_t>();
                summary["hours_streamed"] = round2(s[4].as<double>());
                summary["hours_watched"] =
                    s[5].is_null() ? json::value(nullptr) : json::value(round2(s[5].as<double>()));
                data["summary"] = std::move(summary);
                return json::object{{"data", std::move(data)}};
            });
    };
}

http::handler channel_history_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query, {"window", "from", "to", "resolution", "format"});
        const std::string format = params.one_of("format", formats).value_or("json");
        const time_window window = parse_window(params, now_us(), "24h");
        static constexpr std::array<std::string_view, 3> resolutions{"raw", "1h", "1d"};
        const std::string resolution = params.one_of("resolution", resolutions).value_or("raw");
        if (!params.error() && resolution == "raw" &&
            window.to - window.from > std::chrono::hours(24 * 7)) {
            params.reject("resolution", "raw points cover 7 days at most; use 1h or 1d");
        }
        co_return co_await answer_for_channel(
            shared, ctx, params, format, "-history.csv",
            [&](pqxx::transaction_base& tx, channel_row& channel) -> json::object {
                json::array points;
                if (resolution == "raw") {
                    for (const auto& r :
                         tx.exec_params(raw_sql, channel.id, us(window.from), us(window.to))) {
                        points.push_back({{"t", rfc3339_us(r[0].as<std::int64_t>())},
                                          {"viewers", nullable_int(r[1])}});
                    }
                } else {
                    const std::string unit = resolution == "1h" ? "hour" : "day";
                    for (const auto& r : tx.exec_params(buckets_sql, channel.id, us(window.from),
                                                        us(window.to), unit)) {
                        points.push_back({{"t", rfc3339_us(r[0].as<std::int64_t>())},
                                          {"avg_viewers",
                                           r[1].is_null() ? json::value(nullptr)
                                                          : json::value(round2(r[1].as<double>()))},
                                          {"peak_viewers", nullable_int(r[2])},
                                          {"snapshots", r[3].as<std::int64_t>()}});
                    }
                }
                json::array changes;
                for (const auto& r :
                     tx.exec_params(changes_sql, channel.id, us(window.from), us(window.to))) {
                    changes.push_back({{"at", rfc3339_us(r[0].as<std::int64_t>())},
                                       {"title", r[1].c_str()},
                                       {"game_id", r[2].c_str()},
                                       {"game_name", r[3].c_str()},
                                       {"stream_id", r[4].c_str()}});
                }
                json::object meta = window_meta(window);
                meta["resolution"] = resolution;
                meta["channel"] = std::move(channel.profile);
                return json::object{
                    {"data", std::move(points)}, {"changes", std::move(changes)}, {"meta", meta}};
            });
    };
}

http::handler channel_streams_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query, {"limit", "format"});
        const std::string format = params.one_of("format", formats).value_or("json");
        const long long limit = params.integer("limit", 1, 200, 20);
        co_return co_await answer_for_channel(
            shared, ctx, params, format, "-streams.csv",
            [&](pqxx::transaction_base& tx, channel_row& channel) -> json::object {
                json::array data;
                for (const auto& r : tx.exec_params(broadcasts_sql, channel.id, limit)) {
                    const auto started = r[2].as<std::int64_t>();
                    // An open broadcast lasts until its last sighting so far.
                    const auto ended = r[3].is_null()
                                           ? (r[7].is_null() ? started : r[7].as<std::int64_t>())
                                           : r[3].as<std::int64_t>();
                    data.push_back(json::object{
                        {"stream_id", r[0].c_str()},
                        {"title", r[1].c_str()},
                        {"started_at", rfc3339_us(started)},
                        {"ended_at", nullable_time(r[3])},
                        {"live", r[3].is_null()},
                        {"duration_s", (ended - started) / 1'000'000},
                        {"snapshots", r[4].as<std::int64_t>()},
                        {"avg_viewers", r[5].is_null() ? json::value(nullptr)
                                                       : json::value(round2(r[5].as<double>()))},
                        {"peak_viewers", nullable_int(r[6])},
                        {"hours_watched", r[8].is_null()
                                              ? json::value(nullptr)
                                              : json::value(round2(r[8].as<double>() / 3600))},
                        {"hours_streamed", round2(r[9].as<double>() / 3600)},
                        {"games", json::parse(r[10].c_str())}});
                }
                return json::object{{"data", std::move(data)},
                                    {"meta", {{"channel", channel.profile}}}};
            });
    };
}

} // namespace streamscope::api

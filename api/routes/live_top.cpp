// GET /live/top?limit=&platform=&game=&language= — the streams of the latest complete sweep of
// each platform (or of one), most viewers first, in the original design's item shape, with the
// sweeps they come from in `meta`.

#include <array>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

#include "api/http/errors.hpp"
#include "api/routes/params.hpp"
#include "api/routes/routes.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::api {
namespace {

constexpr std::array<std::string_view, 3> platforms{"twitch", "kick", "youtube"};

// The latest complete sweep per platform; its snapshots are one time slice of one partition,
// found through the block-range index. `game` matches a game id or, case-insensitively, a name.
constexpr const char* live_top_sql = R"(
WITH latest AS (
    SELECT DISTINCT ON (w.platform_id) w.id, w.platform_id, w.started_at, w.status
      FROM sweeps w JOIN platforms p ON p.id = w.platform_id
     WHERE w.status = 'complete' AND ($1 = '' OR p.name = $1)
     ORDER BY w.platform_id, w.started_at DESC)
SELECT p.name, c.platform_user_id, c.login, c.display_name, st.title,
       COALESCE(g.platform_game_id, ''), COALESCE(g.name, ''), s.viewer_count, st.language,
       (extract(epoch FROM st.started_at) * 1000000)::bigint,
       (extract(epoch FROM s.collected_at) * 1000000)::bigint,
       st.thumbnail_url, st.platform_stream_id
  FROM latest l
  JOIN snapshots s ON s.collected_at = l.started_at
  JOIN streams st ON st.id = s.stream_id AND st.platform_id = l.platform_id
  JOIN channels c ON c.id = st.channel_id
  JOIN platforms p ON p.id = st.platform_id
  LEFT JOIN games g ON g.id = st.game_id
 WHERE ($2 = '' OR g.platform_game_id = $2 OR lower(g.name) = lower($2))
   AND ($3 = '' OR st.language = $3)
 ORDER BY s.viewer_count DESC NULLS LAST, st.id
 LIMIT $4)";

constexpr const char* sweeps_sql = R"(
SELECT DISTINCT ON (w.platform_id) p.name, w.id,
       (extract(epoch FROM w.started_at) * 1000000)::bigint, w.status, w.streams_seen
  FROM sweeps w JOIN platforms p ON p.id = w.platform_id
 WHERE w.status = 'complete' AND ($1 = '' OR p.name = $1)
 ORDER BY w.platform_id, w.started_at DESC)";

std::string rfc3339(std::int64_t micros) {
    return time::format_rfc3339(time::timestamp(std::chrono::microseconds(micros)));
}

std::string stream_url(std::string_view platform, std::string_view login,
                       std::string_view stream_id) {
    if (platform == "twitch") {
        return "https://www.twitch.tv/" + std::string(login);
    }
    if (platform == "kick") {
        return "https://kick.com/" + std::string(login);
    }
    return "https://www.youtube.com/watch?v=" + std::string(stream_id);
}

// Twitch's thumbnail is a template; the original design served it at 440x248.
std::string thumbnail(std::string url) {
    if (const auto at = url.find("{width}x{height}"); at != std::string::npos) {
        url.replace(at, 16, "440x248");
    }
    return url;
}

} // namespace

handler live_top_route(app& shared) {
    return [&shared](request_context& ctx) -> boost::asio::awaitable<response> {
        query_params params(ctx.query, {"limit", "platform", "game", "language"});
        const long long limit = params.integer("limit", 1, 500, 50);
        const std::string platform = params.one_of("platform", platforms).value_or("");
        const std::string game = params.text("game").value_or("");
        const std::string language = params.language("language").value_or("");
        if (const auto& bad = params.error()) {
            co_return error_response(ctx.req, boost::beast::http::status::bad_request,
                                     "invalid_parameter", bad->message, bad->parameter);
        }

        std::string body = co_await shared.db.run([&](pqxx::connection& c) {
            pqxx::read_transaction tx{c};
            boost::json::array data;
            for (const auto& row : tx.exec_params(live_top_sql, platform, game, language, limit)) {
                const std::string name = row[0].as<std::string>();
                const std::string login = row[2].as<std::string>();
                boost::json::object item;
                item["platform"] = name;
                item["channel_id"] = row[1].as<std::string>();
                item["username"] = login;
                item["display_name"] = row[3].as<std::string>();
                item["title"] = row[4].as<std::string>();
                item["game_id"] = row[5].as<std::string>();
                item["game_name"] = row[6].as<std::string>();
                if (row[7].is_null()) {
                    item["viewer_count"] = nullptr;
                } else {
                    item["viewer_count"] = row[7].as<std::int64_t>();
                }
                item["language"] = row[8].as<std::string>();
                item["started_at"] = rfc3339(row[9].as<std::int64_t>());
                item["collected_at"] = rfc3339(row[10].as<std::int64_t>());
                item["thumbnail_url"] = thumbnail(row[11].as<std::string>());
                item["stream_url"] = stream_url(name, login, row[12].as<std::string>());
                data.push_back(std::move(item));
            }
            boost::json::array sweeps;
            for (const auto& row : tx.exec_params(sweeps_sql, platform)) {
                sweeps.push_back(boost::json::object{
                    {"platform", row[0].as<std::string>()},
                    {"sweep_id", row[1].as<std::int64_t>()},
                    {"collected_at", rfc3339(row[2].as<std::int64_t>())},
                    {"status", row[3].as<std::string>()},
                    {"streams", row[4].as<std::int64_t>()},
                });
            }
            return boost::json::serialize(
                boost::json::object{{"data", std::move(data)}, {"meta", {{"sweeps", sweeps}}}});
        });
        co_return json_response(ctx.req, std::move(body));
    };
}

} // namespace streamscope::api

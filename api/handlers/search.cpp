// GET /search/channels?q=&platform=&limit= and GET /search/games?q=&limit= — case-insensitive
// prefix and fuzzy matching (pg_trgm, through the trigram indexes), best match first: an exact
// login, then login prefixes, then display-name prefixes, then similarity.

#include <cmath>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

#include "api/format/csv.hpp"
#include "api/handlers/handlers.hpp"
#include "api/params/platform.hpp"
#include "api/params/query_params.hpp"
#include "common/http/response.hpp"

namespace streamscope::api {
namespace {

// $1 the text, $2 it as a LIKE prefix, $3 as a LIKE infix (both escaped).
constexpr const char* channels_sql = R"(
SELECT p.name, c.platform_user_id, c.login, c.display_name, c.profile_image_url,
       c.follower_count,
       EXISTS (SELECT 1 FROM streams st WHERE st.channel_id = c.id AND st.ended_at IS NULL),
       similarity(c.login || ' ' || c.display_name, $1)
  FROM channels c JOIN platforms p ON p.id = c.platform_id
 WHERE ($4 = '' OR p.name = $4)
   AND ((c.login || ' ' || c.display_name) ILIKE $3 OR (c.login || ' ' || c.display_name) % $1)
 ORDER BY lower(c.login) = lower($1) DESC, c.login ILIKE $2 DESC, c.display_name ILIKE $2 DESC,
          similarity(c.login || ' ' || c.display_name, $1) DESC, c.login
 LIMIT $5)";

constexpr const char* games_sql = R"(
SELECT p.name, g.platform_game_id, g.name, g.box_art_url, similarity(g.name, $1)
  FROM games g JOIN platforms p ON p.id = g.platform_id
 WHERE g.name ILIKE $3 OR g.name % $1
 ORDER BY lower(g.name) = lower($1) DESC, g.name ILIKE $2 DESC, similarity(g.name, $1) DESC,
          g.name
 LIMIT $4)";

// LIKE treats % and _ as wildcards and \ as the escape: the user's text must match itself.
std::string like_escaped(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

double rounded_score(double score) {
    return std::round(score * 1000) / 1000;
}

// What a search matches: the text, and it as a LIKE prefix and infix (both escaped).
struct search_text {
    std::string text;
    std::string prefix;
    std::string infix;
};

// The search routes' common part, once the route has read its own parameters: q checked
// (required, 1 to 100 characters), a parameter problem answered, `find(tx, text)` run on a
// database thread for the items, and the list answered in `format`.
template <typename Find>
boost::asio::awaitable<http::response>
answer_search(app& shared, http::request_context& ctx, const query_params& params,
              const std::string& format, std::string_view filename, Find find) {
    const std::string q = params.text("q").value_or("");
    if (const auto& bad = params.error()) {
        co_return invalid_parameter(ctx.req, *bad);
    }
    if (q.empty() || q.size() > 100) {
        co_return http::error_response(ctx.req, boost::beast::http::status::bad_request,
                                       "invalid_parameter", "required, 1 to 100 characters", "q");
    }
    boost::json::object page = co_await shared.db.run([&](pqxx::connection& c) {
        pqxx::read_transaction tx{c};
        const std::string escaped = like_escaped(q);
        return boost::json::object{
            {"data", find(tx, search_text{q, escaped + "%", "%" + escaped + "%"})}};
    });
    co_return list_response(ctx.req, format, std::move(page), filename);
}

// The channels matching `q`, best first.
boost::json::array channel_matches(pqxx::transaction_base& tx, const search_text& q,
                                   const std::string& platform, long long limit) {
    boost::json::array data;
    for (const auto& row :
         tx.exec_params(channels_sql, q.text, q.prefix, q.infix, platform, limit)) {
        data.push_back(boost::json::object{
            {"platform", row[0].as<std::string>()},
            {"channel_id", row[1].as<std::string>()},
            {"username", row[2].as<std::string>()},
            {"display_name", row[3].as<std::string>()},
            {"profile_image_url",
             row[4].is_null() ? boost::json::value(nullptr) : boost::json::value(row[4].c_str())},
            {"follower_count", row[5].is_null() ? boost::json::value(nullptr)
                                                : boost::json::value(row[5].as<std::int64_t>())},
            {"live", row[6].as<bool>()},
            {"score", rounded_score(row[7].as<double>())},
        });
    }
    return data;
}

// The games matching `q`, best first.
boost::json::array game_matches(pqxx::transaction_base& tx, const search_text& q, long long limit) {
    boost::json::array data;
    for (const auto& row : tx.exec_params(games_sql, q.text, q.prefix, q.infix, limit)) {
        data.push_back(boost::json::object{
            {"platform", row[0].as<std::string>()},
            {"game_id", row[1].as<std::string>()},
            {"name", row[2].as<std::string>()},
            {"box_art_url",
             row[3].is_null() ? boost::json::value(nullptr) : boost::json::value(row[3].c_str())},
            {"score", rounded_score(row[4].as<double>())},
        });
    }
    return data;
}

} // namespace

http::handler search_channels_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query, {"q", "platform", "limit", "format"});
        const std::string format = params.one_of("format", formats).value_or("json");
        const std::string platform = params.one_of("platform", platform_names).value_or("");
        const long long limit = params.integer("limit", 1, 100, 20);
        co_return co_await answer_search(shared, ctx, params, format, "channels.csv",
                                         [&](pqxx::transaction_base& tx, const search_text& q) {
                                             return channel_matches(tx, q, platform, limit);
                                         });
    };
}

http::handler search_games_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query, {"q", "limit", "format"});
        const std::string format = params.one_of("format", formats).value_or("json");
        const long long limit = params.integer("limit", 1, 100, 20);
        co_return co_await answer_search(shared, ctx, params, format, "games.csv",
                                         [&](pqxx::transaction_base& tx, const search_text& q) {
                                             return game_matches(tx, q, limit);
                                         });
    };
}

} // namespace streamscope::api

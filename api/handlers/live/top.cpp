// GET /live/top?limit=&platform=&game=&language= — the streams of the latest complete sweep of
// each platform (or of one), most viewers first, in the original design's item shape, with the
// sweeps they come from in `meta`.

#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

#include "api/format/csv.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/live/rows.hpp"
#include "api/params/platform.hpp"
#include "api/params/query_params.hpp"

namespace streamscope::api {
namespace {

// `game` matches a game id or, case-insensitively, a name.
const std::string live_top_sql = std::string(stream_rows_sql) + R"(
 WHERE ($3 = '' OR g.platform_game_id = $3 OR lower(g.name) = lower($3))
   AND ($4 = '' OR st.language = $4)
 ORDER BY s.viewer_count DESC NULLS LAST, st.id
 LIMIT $5)";

} // namespace

http::handler live_top_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query, {"limit", "platform", "game", "language", "format"});
        const std::string format = params.one_of("format", formats).value_or("json");
        const long long limit = params.integer("limit", 1, 500, 50);
        const std::string platform = params.one_of("platform", platform_names).value_or("");
        const std::string game = params.text("game").value_or("");
        const std::string language = params.language("language").value_or("");
        if (const auto& bad = params.error()) {
            co_return invalid_parameter(ctx.req, *bad);
        }

        boost::json::object page = co_await shared.db.run([&](pqxx::connection& c) {
            pqxx::read_transaction tx{c};
            const auto sweeps = latest_sweeps(tx, platform);
            const auto [ids, times] = sweep_arrays(sweeps);
            boost::json::array data;
            for (const auto& row :
                 tx.exec_params(live_top_sql, ids, times, game, language, limit)) {
                data.push_back(stream_item(row));
            }
            return boost::json::object{{"data", std::move(data)},
                                       {"meta", {{"sweeps", sweeps_meta(sweeps)}}}};
        });
        co_return list_response(ctx.req, format, std::move(page), "live-top.csv");
    };
}

} // namespace streamscope::api

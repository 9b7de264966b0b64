// GET /live/streams?platform=&game=&language=&min_viewers=&q=&limit=&cursor= — the live
// streams filtered, most viewers first, a page at a time. The cursor pins the sweeps of the
// first page, so that paging through stays on one snapshot even when a new sweep lands, and
// continues after the last item's (viewers, stream) key: no duplicates, no gaps.

#include <algorithm>
#include <cstdint>

#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

#include "api/format/csv.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/live/rows.hpp"
#include "api/handlers/live/streams_cursor.hpp"
#include "api/params/platform.hpp"
#include "api/params/query_params.hpp"
#include "common/http/response.hpp"

namespace streamscope::api {
namespace {

// Keyset pagination on (viewers, stream id); a hidden count sorts as -1, last.
const std::string live_streams_sql = std::string(stream_rows_sql) + R"(
 WHERE ($3 = '' OR g.platform_game_id = $3 OR lower(g.name) = lower($3))
   AND ($4 = '' OR st.language = $4)
   AND COALESCE(s.viewer_count, -1) >= $5
   AND ($6 = '' OR strpos(lower(st.title), lower($6)) > 0)
   AND ($7 = -2 OR COALESCE(s.viewer_count, -1) < $7
        OR (COALESCE(s.viewer_count, -1) = $7 AND st.id > $8))
 ORDER BY COALESCE(s.viewer_count, -1) DESC, st.id
 LIMIT $9)";

} // namespace

http::handler live_streams_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query, {"platform", "game", "language", "min_viewers", "q", "limit",
                                        "cursor", "format"});
        const std::string format = params.one_of("format", formats).value_or("json");
        const std::string platform = params.one_of("platform", platform_names).value_or("");
        const std::string game = params.text("game").value_or("");
        const std::string language = params.language("language").value_or("");
        const long long min_viewers = params.integer("min_viewers", 0, 1'000'000'000, -1);
        const std::string text = params.text("q").value_or("");
        const long long limit = params.integer("limit", 1, 500, 100);
        std::optional<streams_position> from;
        if (const auto cursor = params.text("cursor")) {
            from = decode_streams_cursor(*cursor);
            if (!from) {
                co_return http::error_response(
                    ctx.req, boost::beast::http::status::bad_request, "invalid_parameter",
                    "not a cursor of this API: pass next_cursor as given", "cursor");
            }
        }
        if (text.size() > 200) {
            co_return http::error_response(ctx.req, boost::beast::http::status::bad_request,
                                           "invalid_parameter", "at most 200 characters", "q");
        }
        if (const auto& bad = params.error()) {
            co_return invalid_parameter(ctx.req, *bad);
        }

        boost::json::object answer = co_await shared.db.run([&](pqxx::connection& c) {
            pqxx::read_transaction tx{c};
            streams_position at = from.value_or(streams_position{});
            if (!from) {
                at.sweeps = latest_sweeps(tx, platform);
            }
            const auto [ids, times] = sweep_arrays(at.sweeps);
            // One row more than the page: whether it comes says whether there is a next page.
            const pqxx::result rows =
                tx.exec_params(live_streams_sql, ids, times, game, language, min_viewers, text,
                               at.viewers, at.stream_id, limit + 1);
            const auto count = static_cast<std::size_t>(rows.size());
            const auto shown = std::min(count, static_cast<std::size_t>(limit));
            boost::json::array data;
            for (std::size_t i = 0; i < shown; ++i) {
                data.push_back(stream_item(rows[static_cast<pqxx::result::size_type>(i)]));
            }
            boost::json::object page{{"data", std::move(data)}};
            if (count > shown) {
                const auto& last = rows[static_cast<pqxx::result::size_type>(shown - 1)];
                page["next_cursor"] = encode_streams_cursor(
                    {at.sweeps, last[7].is_null() ? -1 : last[7].as<std::int64_t>(),
                     last[13].as<std::int64_t>()});
            } else {
                page["next_cursor"] = nullptr;
            }
            if (!from) {
                page["meta"] = {{"sweeps", sweeps_meta(at.sweeps)}};
            }
            return page;
        });
        co_return list_response(ctx.req, format, std::move(answer), "live-streams.csv");
    };
}

} // namespace streamscope::api

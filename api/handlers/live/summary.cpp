// GET /live/summary?platform= — totals now: live channels and viewers, per platform, and the
// ten largest languages and games by viewers, from the latest complete sweep of each platform.
// A game is a platform's own (each platform has its ids): the same game on two platforms is two
// entries.

#include <boost/json/parse.hpp>
#include <pqxx/pqxx>

#include "api/handlers/handlers.hpp"
#include "api/handlers/live/rows.hpp"
#include "api/params/platform.hpp"
#include "api/params/query_params.hpp"
#include "common/http/response.hpp"
#include "common/json/text.hpp"

namespace streamscope::api {
namespace {

// PostgreSQL aggregates and renders the totals; one pass over the sweeps' rows. A hidden
// viewer count (NULL, YouTube) is unknown, not 0: sums skip it, a group whose every count is
// hidden has null viewers (and sorts last), and hidden_viewer_counts says how many live
// channels the sums lack.
constexpr const char* live_summary_sql = R"(
WITH r AS MATERIALIZED (
    SELECT p.name AS platform, st.language, g.platform_game_id AS game_id, g.name AS game_name,
           s.viewer_count AS viewers
      FROM unnest($1::int[], $2::bigint[]) AS l(platform_id, micros)
      JOIN snapshots s ON s.collected_at = timestamptz 'epoch' + l.micros * interval '1 microsecond'
      JOIN streams st ON st.id = s.stream_id AND st.platform_id = l.platform_id
      JOIN platforms p ON p.id = st.platform_id
      LEFT JOIN games g ON g.id = st.game_id)
SELECT json_build_object(
    'live_channels', (SELECT count(*) FROM r),
    'viewers', (SELECT CASE WHEN count(*) = 0 THEN 0 ELSE sum(viewers) END FROM r),
    'hidden_viewer_counts', (SELECT count(*) - count(viewers) FROM r),
    'platforms', (SELECT COALESCE(json_agg(x ORDER BY x.viewers DESC NULLS LAST, x.platform), '[]')
                    FROM (SELECT platform, count(*) AS live_channels, sum(viewers) AS viewers,
                                 count(*) - count(viewers) AS hidden_viewer_counts
                            FROM r GROUP BY platform) x),
    'languages', (SELECT COALESCE(json_agg(x ORDER BY x.viewers DESC NULLS LAST, x.language), '[]')
                    FROM (SELECT language, count(*) AS live_channels, sum(viewers) AS viewers
                            FROM r GROUP BY language
                           ORDER BY sum(viewers) DESC NULLS LAST, language LIMIT 10) x),
    'games', (SELECT COALESCE(json_agg(x ORDER BY x.viewers DESC NULLS LAST, x.platform,
                                       x.game_id), '[]')
                FROM (SELECT platform, game_id, game_name, count(*) AS live_channels,
                             sum(viewers) AS viewers
                        FROM r WHERE game_id IS NOT NULL GROUP BY platform, game_id, game_name
                       ORDER BY sum(viewers) DESC NULLS LAST, platform, game_id LIMIT 10) x)))";

} // namespace

http::handler live_summary_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query, {"platform"});
        const std::string platform = params.one_of("platform", platform_names).value_or("");
        if (const auto& bad = params.error()) {
            co_return invalid_parameter(ctx.req, *bad);
        }
        boost::json::object body = co_await shared.db.run([&](pqxx::connection& c) {
            pqxx::read_transaction tx{c};
            const auto sweeps = latest_sweeps(tx, platform);
            const auto [ids, times] = sweep_arrays(sweeps);
            const auto totals =
                tx.exec_params(live_summary_sql, ids, times)[0][0].as<std::string>();
            return boost::json::object{{"data", boost::json::parse(totals)},
                                       {"meta", {{"sweeps", sweeps_meta(sweeps)}}}};
        });
        co_return http::json_response(ctx.req, body);
    };
}

} // namespace streamscope::api

// GET /live/streams?platform=&game=&language=&min_viewers=&q=&limit=&cursor= — the live
// streams filtered, most viewers first, a page at a time. The cursor pins the sweeps of the
// first page, so that paging through stays on one snapshot even when a new sweep lands, and
// continues after the last item's (viewers, stream) key: no duplicates, no gaps.

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>

#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

#include "api/format/csv.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/live/rows.hpp"
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

struct position {
    std::vector<sweep_ref> sweeps;
    std::int64_t viewers = -2; // -2: from the start
    std::int64_t stream_id = 0;
};

// Opaque to clients: hex of "v1|<platform>:<µs>,...|<viewers>|<stream id>".
std::string encode_cursor(const position& at) {
    std::string text = "v1|";
    for (std::size_t i = 0; i < at.sweeps.size(); ++i) {
        if (i > 0) {
            text += ',';
        }
        text += std::to_string(at.sweeps[i].platform_id);
        text += ':';
        text += std::to_string(at.sweeps[i].started_us);
    }
    text += '|';
    text += std::to_string(at.viewers);
    text += '|';
    text += std::to_string(at.stream_id);
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char ch : text) {
        hex += digits[ch >> 4];
        hex += digits[ch & 15];
    }
    return hex;
}

// 9999-12-31T23:59:59.999999Z: a sweep time past it is forged, and PostgreSQL's timestamps end
// not far beyond.
constexpr std::int64_t latest_started_us = 253'402'300'799'999'999;

bool parse_number(std::string_view text, std::int64_t& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && ec == std::errc{} && end == text.data() + text.size();
}

std::optional<position> decode_cursor(std::string_view hex) {
    if (hex.size() % 2 != 0 || hex.size() > 2048) {
        return std::nullopt;
    }
    std::string text;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        unsigned value = 0;
        auto [end, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
        if (ec != std::errc{} || end != hex.data() + i + 2) {
            return std::nullopt;
        }
        text += static_cast<char>(value);
    }
    // v1|sweeps|viewers|stream
    std::vector<std::string_view> parts;
    for (std::string_view rest = text;;) {
        const auto bar = rest.find('|');
        parts.push_back(rest.substr(0, bar));
        if (bar == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(bar + 1);
    }
    position at;
    // Bounds of the columns they are compared with (viewer_count and streams.id are integer),
    // so that a forged cursor is refused here rather than by the database.
    constexpr std::int64_t integer_max = std::numeric_limits<std::int32_t>::max();
    if (parts.size() != 4 || parts[0] != "v1" || !parse_number(parts[2], at.viewers) ||
        !parse_number(parts[3], at.stream_id) || at.viewers < -1 || at.viewers > integer_max ||
        at.stream_id < 0 || at.stream_id > integer_max) {
        return std::nullopt;
    }
    for (std::string_view rest = parts[1]; !rest.empty();) {
        const auto comma = rest.find(',');
        const std::string_view one = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        const auto colon = one.find(':');
        std::int64_t platform = 0;
        sweep_ref s;
        if (colon == std::string_view::npos || !parse_number(one.substr(0, colon), platform) ||
            !parse_number(one.substr(colon + 1), s.started_us) || platform < 1 || platform > 3 ||
            s.started_us < 0 || s.started_us > latest_started_us) {
            return std::nullopt;
        }
        s.platform_id = static_cast<int>(platform);
        at.sweeps.push_back(s);
    }
    return at;
}

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
        std::optional<position> from;
        if (const auto cursor = params.text("cursor")) {
            from = decode_cursor(*cursor);
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
            position at = from.value_or(position{});
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
                page["next_cursor"] =
                    encode_cursor({at.sweeps, last[7].is_null() ? -1 : last[7].as<std::int64_t>(),
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

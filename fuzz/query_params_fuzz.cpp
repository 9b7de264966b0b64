// libFuzzer target: a query string, as the API's handlers take it apart (api/params/).
// Input: the query as sent, without the '?'. Checks: nothing throws; a refused query is a 400 in
// the one error shape; an accepted one holds only storable text, reads the same values again
// when a client encodes them afresh, agrees with a plain reading of the query, and its typed
// values (limit, language, format, the time window) keep their promises.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/format/csv.hpp"
#include "api/params/query_params.hpp"
#include "api/params/time_window.hpp"
#include "common/http/router.hpp"
#include "common/text/utf8.hpp"
#include "fuzz/error_shape.hpp"
#include "fuzz/percent_encode.hpp"
#include "fuzz/require.hpp"

namespace {

using streamscope::api::query_params;
using streamscope::fuzz::require;

// Every parameter name the routes take, so that the fuzzer reaches each typed parser.
constexpr std::initializer_list<std::string_view> allowed{
    "platform", "game",   "language", "min_viewers", "q",  "limit",
    "cursor",   "format", "window",   "from",        "to", "sort"};

// The query read the plain way, independently of Boost.URL: '&' between parameters, the first
// '=' between name and value, %XX and '+' for a space decoded. nullopt when a '%' is malformed.
std::optional<std::map<std::string, std::string>> plain_reading(std::string_view raw) {
    std::map<std::string, std::string> out;
    if (raw.empty()) {
        return out;
    }
    const auto decode = [](std::string_view text) -> std::optional<std::string> {
        std::string spaced(text);
        std::replace(spaced.begin(), spaced.end(), '+', ' ');
        return streamscope::http::percent_decode(spaced);
    };
    for (;;) {
        const auto amp = raw.find('&');
        const std::string_view pair = raw.substr(0, amp);
        const auto eq = pair.find('=');
        auto name = decode(pair.substr(0, eq));
        auto value =
            decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
        if (!name || !value) {
            return std::nullopt;
        }
        out.emplace(std::move(*name), std::move(*value)); // a repeat is refused: first one kept
        if (amp == std::string_view::npos) {
            return out;
        }
        raw.remove_prefix(amp + 1);
    }
}

void check_refused(const query_params& params) {
    const streamscope::http::request req{boost::beast::http::verb::get, "/", 11};
    const auto res = streamscope::api::invalid_parameter(req, *params.error());
    require(res.result_int() == 400, "a refused parameter is a 400");
    require(!params.error()->message.empty(), "a refusal says why");
    streamscope::fuzz::require_error_shape(res);
}

void check_typed(const query_params& params) {
    auto limit_params = params;
    const long long limit = limit_params.integer("limit", 1, 500, 100);
    require(limit_params.error().has_value() || (limit >= 1 && limit <= 500),
            "an accepted limit is within its bounds");

    auto language_params = params;
    const auto language = language_params.language("language");
    require(language_params.error().has_value() || !language || *language == "other" ||
                (language->size() == 2 && std::all_of(language->begin(), language->end(),
                                                      [](char c) { return c >= 'a' && c <= 'z'; })),
            "an accepted language is two lowercase letters or other");

    auto format_params = params;
    const auto format = format_params.one_of("format", streamscope::api::formats);
    require(format_params.error().has_value() || !format ||
                std::find(streamscope::api::formats.begin(), streamscope::api::formats.end(),
                          *format) != streamscope::api::formats.end(),
            "an accepted format is one of the formats");

    using namespace std::chrono;
    const streamscope::time::timestamp now{sys_days{2026y / 11 / 25} + 10h};
    auto window_params = params;
    const auto window = streamscope::api::parse_window(window_params, now, "24h");
    if (!window_params.error()) {
        require(window.from < window.to, "an accepted window ends after it starts");
        require(window.to - window.from <= hours(24 * 366),
                "an accepted window spans 366 days at most");
        require(params.text("to") || window.to == now, "a window without to ends now");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string raw(reinterpret_cast<const char*>(data), size);
    const query_params params(raw, allowed);
    if (params.error()) {
        check_refused(params);
        return 0;
    }
    const auto plain = plain_reading(raw);
    require(plain.has_value(), "an accepted query has no malformed '%'");
    for (const auto& [name, value] : *plain) {
        require(std::find(allowed.begin(), allowed.end(), name) != allowed.end(),
                "an accepted query names only parameters of the route");
    }
    std::string encoded;
    for (const std::string_view name : allowed) {
        const auto value = params.text(name);
        const auto it = plain->find(std::string(name));
        require(value.has_value() == (it != plain->end()) && (!value || *value == it->second),
                "each value is what the plain reading of the query finds");
        if (!value) {
            continue;
        }
        require(streamscope::text::is_storable_text(*value),
                "an accepted value is UTF-8 without NUL");
        encoded += encoded.empty() ? "" : "&";
        encoded += std::string(name) + "=" + streamscope::fuzz::percent_encode(*value);
    }
    const query_params again(encoded, allowed);
    require(!again.error(), "the accepted values, encoded afresh, are accepted");
    for (const std::string_view name : allowed) {
        require(again.text(name) == params.text(name), "encoded afresh, each value reads the same");
    }
    check_typed(params);
    return 0;
}

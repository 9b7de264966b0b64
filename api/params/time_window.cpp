#include "api/params/time_window.hpp"

#include <array>
#include <utility>

namespace streamscope::api {
namespace {

using std::chrono::hours;

constexpr std::array<std::pair<std::string_view, hours>, 5> windows{{
    {"1h", hours(1)},
    {"24h", hours(24)},
    {"7d", hours(24 * 7)},
    {"30d", hours(24 * 30)},
    {"90d", hours(24 * 90)},
}};

} // namespace

time_window parse_window(query_params& params, time::timestamp now,
                         std::string_view default_window) {
    const auto window = params.text("window");
    const auto from = params.text("from");
    const auto to = params.text("to");
    if (window && (from || to)) {
        params.reject("window", "give window, or from and to, not both");
        return {};
    }
    if (from || to) {
        const auto start = from ? time::parse_rfc3339(*from) : std::nullopt;
        if (!start) {
            params.reject("from", "required with to; an ISO 8601 time such as "
                                  "2026-11-01T00:00:00Z");
            return {};
        }
        time::timestamp end = now;
        if (to) {
            const auto parsed = time::parse_rfc3339(*to);
            if (!parsed) {
                params.reject("to", "an ISO 8601 time such as 2026-11-08T00:00:00Z");
                return {};
            }
            end = *parsed;
        }
        const time::timestamp begin = *start;
        if (end <= begin) {
            params.reject("to", "must be after from");
            return {};
        }
        if (end - begin > hours(24 * 366)) {
            params.reject("from", "the window may span 366 days at most");
            return {};
        }
        return {begin, end};
    }
    const std::string_view name = window ? std::string_view(*window) : default_window;
    for (const auto& [label, length] : windows) {
        if (label == name) {
            return {now - length, now};
        }
    }
    params.reject("window", "must be one of: 1h, 24h, 7d, 30d, 90d");
    return {};
}

} // namespace streamscope::api

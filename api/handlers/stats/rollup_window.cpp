#include "api/handlers/stats/rollup_window.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "api/format/csv.hpp"
#include "api/params/platform.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::api::stats {
namespace {

using namespace std::chrono;

constexpr double ms_per_hour = 3'600'000.0;

std::string day_text(sys_days d) {
    const year_month_day ymd{d};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()));
    return text;
}

time::timestamp now() {
    return time::timestamp(duration_cast<microseconds>(system_clock::now().time_since_epoch()));
}

} // namespace

rollup_window rollup_bounds(const time_window& w) {
    return w.to - w.from >= hours(24 * 7) ? day_bounds(w) : hour_bounds(w);
}

rollup_window hour_bounds(const time_window& w) {
    rollup_window out;
    out.at = w;
    const auto first = floor<hours>(w.from);
    out.from = time::format_rfc3339(time::timestamp(first));
    out.to = time::format_rfc3339(w.to);
    out.prev_from = time::format_rfc3339(time::timestamp(first - (w.to - first)));
    return out;
}

rollup_window day_bounds(const time_window& w) {
    rollup_window out;
    out.at = w;
    out.days = true;
    const sys_days first = floor<days>(w.from);
    const sys_days end = ceil<days>(w.to);
    out.from = day_text(first);
    out.to = day_text(end);
    out.prev_from = day_text(first - (end - first));
    return out;
}

stats_params read_stats_params(query_params& params, bool with_limit) {
    stats_params c;
    c.format = params.one_of("format", formats).value_or("json");
    c.platform = params.one_of("platform", platform_names).value_or("");
    if (with_limit) {
        c.limit = params.integer("limit", 1, 100, 20);
    }
    c.window = rollup_bounds(parse_window(params, now(), "7d"));
    return c;
}

double or_zero(const pqxx::field& f) {
    return f.is_null() ? 0 : f.as<double>();
}

double hours_of(double ms) {
    return std::round(ms / ms_per_hour * 100) / 100;
}

double rounded(double value) {
    return std::round(value * 10) / 10;
}

boost::json::object window_meta(const rollup_window& w) {
    return {{"from", time::format_rfc3339(w.at.from)},
            {"to", time::format_rfc3339(w.at.to)},
            {"resolution", w.days ? "1d" : "1h"}};
}

} // namespace streamscope::api::stats

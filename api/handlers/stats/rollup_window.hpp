#pragma once
// What the /stats routes and a game's history share besides their SQL: the window as the
// rollup tables see it (sql/migrations/0003_rollups.sql has the tables), the parameters most of
// them take, and how their figures are written.
//
// Windows shorter than 7 days read the hour rollups (from the hour that holds `from`); longer
// ones read the day rollups, in whole UTC days. Channel averages are per hour streamed with a
// known viewer count (hours watched / hours counted, sql/migrations/0019: a hidden count is
// unknown, not 0); game, language and platform averages are concurrent viewers over the time
// the collector covered (hours watched / hours covered), so a collector outage does not read
// as an audience drop.

#include <string>

#include <boost/json/object.hpp>
#include <pqxx/result>

#include "api/params/query_params.hpp"
#include "api/params/time_window.hpp"

namespace streamscope::api::stats {

// A window as the rollup tables see it: which tables, and the bounds their rows must meet.
struct rollup_window {
    bool days = false;     // day tables, else hour tables
    std::string from;      // hour tables: an RFC 3339 time; day tables: a YYYY-MM-DD day
    std::string to;        // exclusive, in the same form
    std::string prev_from; // the previous window of equal length, for growth
    time_window at;
};

// `w` in the hour tables when it is shorter than 7 days, else in the day tables.
rollup_window rollup_bounds(const time_window& w);
// `w` in the hour tables (from the hour that holds its start), whatever its length.
rollup_window hour_bounds(const time_window& w);
// `w` in the day tables (the UTC days it touches), whatever its length.
rollup_window day_bounds(const time_window& w);

// The parameters most stats routes share.
struct stats_params {
    std::string format;
    std::string platform; // '' for every platform
    long long limit = 20;
    rollup_window window;
};

// format, platform, limit (when `with_limit`) and the window (7 days by default) from
// `params`, which records any problem.
stats_params read_stats_params(query_params& params, bool with_limit);

// A nullable number (an average over nothing is NULL) as 0.
double or_zero(const pqxx::field& f);
// Milliseconds as hours, to two decimals.
double hours_of(double ms);
// To one decimal.
double rounded(double value);
// The window's from, to and resolution, for an answer's meta.
boost::json::object window_meta(const rollup_window& w);

} // namespace streamscope::api::stats

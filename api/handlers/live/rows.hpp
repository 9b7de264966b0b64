#pragma once
// What the /live routes share: the sweeps they read (the latest complete one per platform, or
// the ones a cursor pinned), and one stream item in the original design's shape.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <pqxx/result>
#include <pqxx/transaction_base>

namespace streamscope::api {

struct sweep_ref {
    int platform_id = 0;
    std::string platform;
    std::int64_t started_us = 0; // = the snapshots' collected_at
    std::int64_t id = 0;
    std::string status;
    std::int64_t streams = 0;
};

// The latest complete sweep of each platform, or of `platform` ("" for all).
std::vector<sweep_ref> latest_sweeps(pqxx::transaction_base& tx, const std::string& platform);

// `sweeps` as the SQL arrays that stream_rows_sql takes: platform ids and collected_at (µs).
std::pair<std::string, std::string> sweep_arrays(const std::vector<sweep_ref>& sweeps);

// The stream columns that stream_item() reads, joined from the snapshots of the sweeps in $1
// (platform ids) and $2 (µs): append WHERE/ORDER BY/LIMIT. Aliases: s (snapshots), st, c, g, p.
extern const char* const stream_rows_sql;

boost::json::object stream_item(const pqxx::row& row);
boost::json::array sweeps_meta(const std::vector<sweep_ref>& sweeps);

} // namespace streamscope::api

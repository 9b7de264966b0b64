#pragma once
// `streamscope-collector rollup --from DAY [--to DAY]`: rebuilds the rollups of a range of UTC
// days from the raw snapshots, with a progress bar on a terminal (a log line every 10%
// elsewhere).

#include <chrono>
#include <string>
#include <vector>

#include "common/config/service_settings.hpp"
#include "common/config/settings.hpp"

namespace streamscope::collector {

// The days to rebuild: [from, to).
struct day_range {
    std::chrono::sys_days from;
    std::chrono::sys_days to;
};

// Reads FROM and TO (YYYY-MM-DD, or a full RFC 3339 time: its UTC day; TO defaults to
// tomorrow); appends one line per problem.
day_range load_day_range(const config::settings& s, std::vector<std::string>& problems);

// Migrates, then rebuilds. Returns the exit code; throws pqxx exceptions on database failure.
int run_rollup(const config::service_settings& service, const day_range& range);

} // namespace streamscope::collector

#pragma once
// The time window of the channel routes: window=1h|24h|7d|30d|90d, or from= and to= in
// ISO 8601 (RFC 3339), not both; to after from; at most 366 days.

#include <optional>
#include <string_view>

#include "api/params/query_params.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::api {

struct time_window {
    time::timestamp from;
    time::timestamp to;
};

// Problems are recorded in `params`; the result is only meaningful when it has none.
time_window parse_window(query_params& params, time::timestamp now,
                         std::string_view default_window);

} // namespace streamscope::api

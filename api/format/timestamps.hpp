#pragma once
// Times in answers: RFC 3339 in UTC, from the microseconds since the epoch that the queries
// select ((extract(epoch FROM t) * 1000000)::bigint).

#include <chrono>
#include <cstdint>
#include <string>

#include "common/time/timestamp.hpp"

namespace streamscope::api {

inline std::string rfc3339_us(std::int64_t micros) {
    return time::format_rfc3339(time::timestamp(std::chrono::microseconds(micros)));
}

} // namespace streamscope::api

#pragma once
// Plausible sweeps for tests and benchmarks, derived deterministically from numbers.

#include <string>
#include <string_view>

#include "common/model/sweep.hpp"

namespace streamscope::testing {

// Parses an RFC 3339 time; throws std::invalid_argument when it is not one.
time::timestamp at(std::string_view rfc3339);

// Stream number `stream` of channel number `channel`: ids "stream-<stream>" and
// "user-<channel>", login "user_<channel>", game "game-<channel % 50>" (none when
// channel % 20 == 0), viewers 100000 / (stream + 1).
model::stream_observation make_stream(long channel, long stream, time::timestamp started_at);

// A complete sweep with the given streams, finished 90 seconds after it started.
model::sweep make_sweep(time::timestamp started_at,
                        std::vector<model::stream_observation> streams = {});

} // namespace streamscope::testing

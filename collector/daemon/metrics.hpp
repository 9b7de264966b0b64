#pragma once
// The collector daemon's /metrics: its status in the Prometheus text exposition format 0.0.4.

#include <chrono>
#include <string>

#include "collector/daemon/status.hpp"

namespace streamscope::collector {

// Every metric is named streamscope_collector_* and comes with # HELP and # TYPE lines; those
// of a platform carry a platform="twitch" label. Gauges without a value yet (no sweep finished,
// no rate-limit header seen) have no sample, rather than a made-up 0 that alerts would
// misread. Counters are since the process started.
std::string metrics_text(const collector_status& s, std::chrono::system_clock::time_point now);

} // namespace streamscope::collector

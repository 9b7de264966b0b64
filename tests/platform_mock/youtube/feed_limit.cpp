#include "tests/platform_mock/youtube/feed_limit.hpp"

namespace streamscope::platform_mock::youtube {

bool feed_limit::take(std::string_view client, clock::time_point now) {
    if (per_second_ == 0) {
        return true;
    }
    auto it = taken_.find(std::string(client));
    if (it == taken_.end()) {
        it = taken_.emplace(std::string(client), std::deque<clock::time_point>{}).first;
    }
    auto& times = it->second;
    while (!times.empty() && times.front() + std::chrono::seconds(1) <= now) {
        times.pop_front();
    }
    if (times.size() >= per_second_) {
        return false;
    }
    times.push_back(now);
    return true;
}

} // namespace streamscope::platform_mock::youtube

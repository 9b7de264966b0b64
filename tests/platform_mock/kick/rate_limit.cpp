#include "tests/platform_mock/kick/rate_limit.hpp"

#include <algorithm>

namespace streamscope::platform_mock::kick {

sliding_window_limit::outcome sliding_window_limit::take(std::string_view client,
                                                         clock::time_point now) {
    if (per_minute_ == 0) {
        return {true};
    }
    auto it = taken_.find(std::string(client));
    if (it == taken_.end()) {
        it = taken_.emplace(std::string(client), std::deque<clock::time_point>{}).first;
    }
    auto& times = it->second;
    while (!times.empty() && times.front() + window <= now) {
        times.pop_front();
    }
    if (times.size() < per_minute_) {
        times.push_back(now);
        return {true};
    }
    const auto wait = std::chrono::ceil<std::chrono::seconds>(times.front() + window - now);
    return {false, std::max(wait, std::chrono::seconds(1))};
}

} // namespace streamscope::platform_mock::kick

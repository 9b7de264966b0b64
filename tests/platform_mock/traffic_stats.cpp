#include "tests/platform_mock/traffic_stats.hpp"

namespace streamscope::platform_mock {

void traffic_stats::count_request(std::string_view path, bool known) {
    const std::string_view key = known ? path : "other";
    const auto it = requests_by_path_.find(key);
    if (it == requests_by_path_.end()) {
        requests_by_path_.emplace(std::string(key), 1);
    } else {
        ++it->second;
    }
}

void traffic_stats::count_response(unsigned status) {
    ++responses_by_status_[status];
}

boost::json::object traffic_stats::requests() const {
    boost::json::object out;
    for (const auto& [path, n] : requests_by_path_) {
        out[path] = n;
    }
    return out;
}

boost::json::object traffic_stats::responses() const {
    boost::json::object out;
    for (const auto& [status, n] : responses_by_status_) {
        out[std::to_string(status)] = n;
    }
    return out;
}

} // namespace streamscope::platform_mock

#pragma once
// The request and response counters that each platform's /_mock stats report. Not thread-safe.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace streamscope::platform_mock {

class traffic_stats {
public:
    // Under `path` when the path is one the platform serves, else under "other": a scanner
    // cannot grow the map.
    void count_request(std::string_view path, bool known);
    void count_response(unsigned status);

    // {"/helix/streams": 12, "other": 1}
    boost::json::object requests() const;
    // {"200": 12, "429": 3}; a reset counts as status 0
    boost::json::object responses() const;

private:
    std::map<std::string, std::uint64_t, std::less<>> requests_by_path_;
    std::map<unsigned, std::uint64_t> responses_by_status_;
};

} // namespace streamscope::platform_mock

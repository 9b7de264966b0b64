#pragma once
// What GET /metrics reports about the API, in Prometheus text format: requests by route and
// status, a latency histogram by route, and the database pool's use. Fed by the server's
// request observer, from every serving thread.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace streamscope::api {

class request_metrics {
public:
    // Upper bounds of the latency buckets, in seconds (Prometheus' `le`).
    static constexpr std::array<double, 11> bounds{0.0005, 0.001, 0.002, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,  0.5,   1.0};

    void observe(std::string_view route, unsigned status, std::chrono::nanoseconds took);

    // The exposition text, with the database pool's size and use and the answer cache's hits
    // and misses.
    std::string render(unsigned pool_size, unsigned pool_busy, std::uint64_t cache_hits,
                       std::uint64_t cache_misses) const;

private:
    struct latency {
        std::array<std::uint64_t, bounds.size()> buckets{}; // cumulative when rendered
        std::uint64_t count = 0;
        double sum_s = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, unsigned>, std::uint64_t, std::less<>> requests_;
    std::map<std::string, latency, std::less<>> latency_;
};

} // namespace streamscope::api

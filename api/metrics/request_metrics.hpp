#pragma once
// What GET /metrics reports about the API, in Prometheus text format: requests by route and
// status, a latency histogram by route, the database pool's use and the answer cache's. Fed by
// the server's
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

    // What the pool and the cache report beside the requests.
    struct resources {
        unsigned pool_size = 0;
        unsigned pool_busy = 0;
        std::size_t pool_queued = 0;
        std::uint64_t pool_refused = 0;
        std::uint64_t cache_hits = 0;
        std::uint64_t cache_misses = 0;
        std::uint64_t cache_evictions = 0;
        std::size_t cache_bytes = 0;
    };

    // The exposition text.
    std::string render(const resources& r) const;

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

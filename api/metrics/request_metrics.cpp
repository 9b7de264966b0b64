#include "api/metrics/request_metrics.hpp"

#include "common/metrics/text_writer.hpp"

namespace streamscope::api {

void request_metrics::observe(std::string_view route, unsigned status,
                              std::chrono::nanoseconds took) {
    const double seconds = std::chrono::duration<double>(took).count();
    std::lock_guard lock{mutex_};
    ++requests_[{std::string(route), status}];
    auto it = latency_.find(route);
    if (it == latency_.end()) {
        it = latency_.emplace(std::string(route), latency{}).first;
    }
    latency& l = it->second;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        if (seconds <= bounds[i]) {
            ++l.buckets[i];
            break;
        }
    }
    ++l.count;
    l.sum_s += seconds;
}

std::string request_metrics::render(const resources& r) const {
    metrics::text_writer m{"streamscope_api_"};
    std::lock_guard lock{mutex_};
    m.family("requests_total", "counter", "Requests answered, by route and status.");
    for (const auto& [key, count] : requests_) {
        m.sample("requests_total", {{"route", key.first}, {"code", std::to_string(key.second)}},
                 count);
    }
    m.family("request_duration_seconds", "histogram",
             "Time from the complete request to the written response, by route.");
    for (const auto& [route, l] : latency_) {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < bounds.size(); ++i) {
            cumulative += l.buckets[i];
            m.sample("request_duration_seconds_bucket",
                     {{"route", route}, {"le", metrics::format_value(bounds[i])}}, cumulative);
        }
        m.sample("request_duration_seconds_bucket", {{"route", route}, {"le", "+Inf"}}, l.count);
        m.sample("request_duration_seconds_sum", {{"route", route}}, l.sum_s);
        m.sample("request_duration_seconds_count", {{"route", route}}, l.count);
    }
    m.family("db_pool_connections", "gauge", "Database connections of the pool.");
    m.sample("db_pool_connections", std::uint64_t{r.pool_size});
    m.family("db_pool_busy", "gauge", "Database connections in use right now.");
    m.sample("db_pool_busy", std::uint64_t{r.pool_busy});
    m.family("db_pool_queued", "gauge", "Requests waiting for a database connection right now.");
    m.sample("db_pool_queued", std::uint64_t{r.pool_queued});
    m.family("db_pool_refused_total", "counter",
             "Requests answered 503 because the wait for a connection was full or too long.");
    m.sample("db_pool_refused_total", r.pool_refused);
    m.family("cache_hits_total", "counter", "Answers served from the per-sweep cache.");
    m.sample("cache_hits_total", r.cache_hits);
    m.family("cache_misses_total", "counter", "Answers rendered from the database.");
    m.sample("cache_misses_total", r.cache_misses);
    m.family("cache_evictions_total", "counter",
             "Cached answers dropped to stay within API_CACHE_MB, least recently used first.");
    m.sample("cache_evictions_total", r.cache_evictions);
    m.family("cache_bytes", "gauge", "Memory the cached answers take, as the cache counts it.");
    m.sample("cache_bytes", std::uint64_t{r.cache_bytes});
    return m.take();
}

} // namespace streamscope::api

#include "api/metrics/request_metrics.hpp"

#include <cstdio>

namespace streamscope::api {
namespace {

// Label values: backslash, double quote and newline escaped, as the format requires.
std::string label(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

// A family of one sample without labels: its HELP, TYPE and value lines.
void scalar(std::string& out, std::string_view name, std::string_view type, std::string_view help,
            std::uint64_t value) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    out.append(name).append(" ").append(std::to_string(value)).append("\n");
}

std::string number(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.9g", v);
    return buffer;
}

} // namespace

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

std::string request_metrics::render(unsigned pool_size, unsigned pool_busy,
                                    std::uint64_t cache_hits, std::uint64_t cache_misses) const {
    std::string out;
    std::lock_guard lock{mutex_};
    out += "# HELP streamscope_api_requests_total Requests answered, by route and status.\n";
    out += "# TYPE streamscope_api_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
        out += "streamscope_api_requests_total{route=\"" + label(key.first) + "\",code=\"" +
               std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
    }
    out += "# HELP streamscope_api_request_duration_seconds Time from the complete request to "
           "the written response, by route.\n";
    out += "# TYPE streamscope_api_request_duration_seconds histogram\n";
    for (const auto& [route, l] : latency_) {
        const std::string r = label(route);
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < bounds.size(); ++i) {
            cumulative += l.buckets[i];
            out += "streamscope_api_request_duration_seconds_bucket{route=\"" + r + "\",le=\"" +
                   number(bounds[i]) + "\"} " + std::to_string(cumulative) + "\n";
        }
        out += "streamscope_api_request_duration_seconds_bucket{route=\"" + r + "\",le=\"+Inf\"} " +
               std::to_string(l.count) + "\n";
        out += "streamscope_api_request_duration_seconds_sum{route=\"" + r + "\"} " +
               number(l.sum_s) + "\n";
        out += "streamscope_api_request_duration_seconds_count{route=\"" + r + "\"} " +
               std::to_string(l.count) + "\n";
    }
    scalar(out, "streamscope_api_db_pool_connections", "gauge", "Database connections of the pool.",
           pool_size);
    scalar(out, "streamscope_api_db_pool_busy", "gauge", "Database connections in use right now.",
           pool_busy);
    scalar(out, "streamscope_api_cache_hits_total", "counter",
           "Answers served from the per-sweep cache.", cache_hits);
    scalar(out, "streamscope_api_cache_misses_total", "counter",
           "Answers rendered from the database.", cache_misses);
    return out;
}

} // namespace streamscope::api

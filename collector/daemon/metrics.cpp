#include "collector/daemon/metrics.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "common/metrics/text_writer.hpp"

namespace streamscope::collector {
namespace {

constexpr std::string_view prefix = "streamscope_collector_";

// Sweep statuses that always have a sample, even at 0: a counter that appears only on its first
// increment makes rate() and increase() miss that increment.
constexpr std::array<std::string_view, 3> sweep_statuses{"complete", "partial", "failed"};

// Whole seconds and the fraction apart: nanoseconds since the epoch exceed a double's 53 bits,
// and converting them in one go would print 1800000000.25 as 1800000000.2499998.
double epoch_seconds(std::chrono::system_clock::time_point t) {
    const auto since = t.time_since_epoch();
    const auto whole = std::chrono::floor<std::chrono::seconds>(since);
    return static_cast<double>(whole.count()) +
           std::chrono::duration<double>(since - whole).count();
}

} // namespace

std::string metrics_text(const collector_status& s, std::chrono::system_clock::time_point now) {
    metrics::text_writer m{prefix};
    const std::int64_t zero = 0;

    m.family("sweeps_total", "counter", "Sweeps finished, by status (complete, partial, failed).");
    for (const std::string_view status : sweep_statuses) {
        const auto it = s.sweeps_by_status.find(std::string(status));
        m.sample("sweeps_total", {{"status", status}},
                 it == s.sweeps_by_status.end() ? zero : it->second);
    }
    for (const auto& [status, count] : s.sweeps_by_status) {
        if (std::find(sweep_statuses.begin(), sweep_statuses.end(), status) ==
            sweep_statuses.end()) {
            m.sample("sweeps_total", {{"status", status}}, count);
        }
    }

    m.family("pages_total", "counter", "Pages of live streams fetched from the platform.");
    m.sample("pages_total", s.pages_total);

    m.family("requests_total", "counter",
             "HTTP requests to the platform, by response status code (0: no response).");
    for (const auto& [code, count] : s.requests_by_status) {
        m.sample("requests_total", {{"code", std::to_string(code)}}, count);
    }

    m.family("retries_total", "counter", "Requests to the platform that were retried.");
    m.sample("retries_total", s.retries_total);

    m.family("rate_limited_total", "counter", "Requests the platform refused with 429.");
    m.sample("rate_limited_total", s.throttled_total);

    m.family("rate_limit_remaining", "gauge",
             "Rate-limit points left, as the platform last reported them.");
    if (s.rate_limit_remaining) {
        m.sample("rate_limit_remaining", *s.rate_limit_remaining);
    }

    // Each family's samples follow its own # TYPE line: the format wants every family in one
    // group.
    m.family("last_sweep_duration_seconds", "gauge", "How long the last finished sweep took.");
    if (s.last_sweep) {
        m.sample("last_sweep_duration_seconds", s.last_sweep_duration_s);
    }
    m.family("last_store_duration_seconds", "gauge",
             "How long storing the last stored sweep in the database took, rollups included.");
    if (s.last_store_duration_s) {
        m.sample("last_store_duration_seconds", *s.last_store_duration_s);
    }
    m.family("last_sweep_streams", "gauge", "Live streams in the last finished sweep.");
    if (s.last_sweep) {
        m.sample("last_sweep_streams", s.last_sweep->streams);
    }
    m.family("last_sweep_timestamp_seconds", "gauge",
             "When the last finished sweep finished, in seconds since the Unix epoch.");
    if (s.last_sweep) {
        m.sample("last_sweep_timestamp_seconds", epoch_seconds(s.last_sweep->finished_at));
    }

    m.family("rows_written_total", "counter", "Stream snapshots written to the database.");
    m.sample("rows_written_total", s.rows_written_total);

    m.family("sweeps_replayed_total", "counter",
             "Spooled sweeps written to the database once it was back.");
    m.sample("sweeps_replayed_total", s.sweeps_replayed_total);

    m.family("spool_bytes", "gauge", "Bytes of sweeps waiting in the spool.");
    m.sample("spool_bytes", s.spool_bytes);

    m.family("spool_files", "gauge", "Sweeps waiting in the spool.");
    m.sample("spool_files", s.spool_files);

    m.family("leader", "gauge", "1 while this collector holds the leader lock and sweeps.");
    m.sample("leader", s.current_role == role::leader ? std::int64_t{1} : zero);

    m.family("database_up", "gauge", "1 while the database is reachable.");
    m.sample("database_up", s.database_up ? std::int64_t{1} : zero);

    m.family("healthy", "gauge", "1 while /health answers 200.");
    m.sample("healthy", is_healthy(s, now) ? std::int64_t{1} : zero);

    return m.take();
}

} // namespace streamscope::collector

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
    const std::int64_t one = 1;
    // Every platform's samples of a family follow the family's one # TYPE line, as the format
    // wants: the loops run over the platforms inside each family.
    const auto each = [&s](auto&& write) {
        for (const auto& [platform, p] : s.platforms) {
            write(model::to_string(platform), p);
        }
    };

    m.family("sweeps_total", "counter",
             "Sweeps finished, by platform and status (complete, partial, failed).");
    each([&](std::string_view name, const platform_status& p) {
        for (const std::string_view status : sweep_statuses) {
            const auto it = p.sweeps_by_status.find(std::string(status));
            m.sample("sweeps_total", {{"platform", name}, {"status", status}},
                     it == p.sweeps_by_status.end() ? zero : it->second);
        }
        for (const auto& [status, count] : p.sweeps_by_status) {
            if (std::find(sweep_statuses.begin(), sweep_statuses.end(), status) ==
                sweep_statuses.end()) {
                m.sample("sweeps_total", {{"platform", name}, {"status", status}}, count);
            }
        }
    });

    m.family("pages_total", "counter", "Pages of live streams fetched, by platform.");
    each([&](std::string_view name, const platform_status& p) {
        m.sample("pages_total", {{"platform", name}}, p.pages_total);
    });

    m.family("requests_total", "counter",
             "HTTP requests to the platforms, by platform and response status code (0: no "
             "response).");
    each([&](std::string_view name, const platform_status& p) {
        for (const auto& [code, count] : p.requests_by_status) {
            m.sample("requests_total", {{"platform", name}, {"code", std::to_string(code)}}, count);
        }
    });

    m.family("retries_total", "counter", "Requests to the platforms that were retried.");
    each([&](std::string_view name, const platform_status& p) {
        m.sample("retries_total", {{"platform", name}}, p.retries_total);
    });

    m.family("rate_limited_total", "counter", "Requests the platforms refused with 429.");
    each([&](std::string_view name, const platform_status& p) {
        m.sample("rate_limited_total", {{"platform", name}}, p.throttled_total);
    });

    m.family("malformed_records_total", "counter",
             "Records the platforms sent that could not be read, left out of their sweeps.");
    each([&](std::string_view name, const platform_status& p) {
        m.sample("malformed_records_total", {{"platform", name}}, p.malformed_total);
    });

    m.family("rate_limit_remaining", "gauge",
             "Rate-limit points left, as the platform last reported them (where it does).");
    each([&](std::string_view name, const platform_status& p) {
        if (p.rate_limit_remaining) {
            m.sample("rate_limit_remaining", {{"platform", name}}, *p.rate_limit_remaining);
        }
    });

    // Platforms with a daily quota (YouTube): the quota day's figures, as the last sweep's
    // plan saw them.
    m.family("quota_units_daily", "gauge", "Quota units a day (YOUTUBE_DAILY_QUOTA).");
    each([&](std::string_view name, const platform_status& p) {
        if (p.quota) {
            m.sample("quota_units_daily", {{"platform", name}}, p.quota->daily_quota);
        }
    });
    m.family("quota_units_spent", "gauge",
             "Quota units spent in the quota day, by every collector on the database.");
    each([&](std::string_view name, const platform_status& p) {
        if (p.quota) {
            m.sample("quota_units_spent", {{"platform", name}}, p.quota->spent);
        }
    });
    m.family("quota_units_projected", "gauge",
             "Quota units the planned sweeps will have spent by the quota day's end.");
    each([&](std::string_view name, const platform_status& p) {
        if (p.quota) {
            m.sample("quota_units_projected", {{"platform", name}}, p.quota->projected);
        }
    });

    // Gauges without a value yet (no sweep finished) have no sample, rather than a made-up 0
    // that alerts would misread.
    m.family("last_sweep_duration_seconds", "gauge", "How long the last finished sweep took.");
    each([&](std::string_view name, const platform_status& p) {
        if (p.last_sweep) {
            m.sample("last_sweep_duration_seconds", {{"platform", name}}, p.last_sweep_duration_s);
        }
    });
    m.family("last_store_duration_seconds", "gauge",
             "How long storing the last stored sweep in the database took, rollups included.");
    each([&](std::string_view name, const platform_status& p) {
        if (p.last_store_duration_s) {
            m.sample("last_store_duration_seconds", {{"platform", name}}, *p.last_store_duration_s);
        }
    });
    m.family("last_sweep_streams", "gauge", "Live streams in the last finished sweep.");
    each([&](std::string_view name, const platform_status& p) {
        if (p.last_sweep) {
            m.sample("last_sweep_streams", {{"platform", name}}, p.last_sweep->streams);
        }
    });
    m.family("last_sweep_timestamp_seconds", "gauge",
             "When the last finished sweep finished, in seconds since the Unix epoch.");
    each([&](std::string_view name, const platform_status& p) {
        if (p.last_sweep) {
            m.sample("last_sweep_timestamp_seconds", {{"platform", name}},
                     epoch_seconds(p.last_sweep->finished_at));
        }
    });

    m.family("rows_written_total", "counter", "Stream snapshots written to the database.");
    each([&](std::string_view name, const platform_status& p) {
        m.sample("rows_written_total", {{"platform", name}}, p.rows_written_total);
    });

    m.family("sweeps_replayed_total", "counter",
             "Spooled sweeps written to the database once it was back.");
    each([&](std::string_view name, const platform_status& p) {
        m.sample("sweeps_replayed_total", {{"platform", name}}, p.sweeps_replayed_total);
    });

    m.family("leader", "gauge", "1 while this collector holds the platform's leader lock.");
    each([&](std::string_view name, const platform_status& p) {
        m.sample("leader", {{"platform", name}}, p.current_role == role::leader ? one : zero);
    });

    m.family("platform_up", "gauge",
             "1 while the platform is swept (or stood by for); 0 once it refused this "
             "collector (credentials, certificate).");
    each([&](std::string_view name, const platform_status& p) {
        m.sample("platform_up", {{"platform", name}}, p.current_role == role::stopped ? zero : one);
    });

    m.family("platform_healthy", "gauge", "1 while the platform's sweeps are recent enough.");
    each([&](std::string_view name, const platform_status& p) {
        m.sample("platform_healthy", {{"platform", name}},
                 is_healthy(p, s.started_at, now) ? one : zero);
    });

    m.family("spool_bytes", "gauge", "Bytes of sweeps waiting in the spool.");
    m.sample("spool_bytes", s.spool_bytes);

    m.family("spool_files", "gauge", "Sweeps waiting in the spool.");
    m.sample("spool_files", s.spool_files);

    if (s.webhooks) {
        m.family("webhook_deliveries", "gauge",
                 "Webhook deliveries by state (delivering collector only).");
        m.sample("webhook_deliveries", {{"state", "pending"}}, s.webhooks->pending);
        m.sample("webhook_deliveries", {{"state", "delivered"}}, s.webhooks->delivered);
        m.sample("webhook_deliveries", {{"state", "failed"}}, s.webhooks->failed);
    }

    m.family("database_up", "gauge", "1 while the database is reachable.");
    m.sample("database_up", s.database_up ? one : zero);

    m.family("healthy", "gauge", "1 while /health answers 200.");
    m.sample("healthy", is_healthy(s, now) ? one : zero);

    return m.take();
}

} // namespace streamscope::collector

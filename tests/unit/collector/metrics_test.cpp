// The collector's /metrics in the Prometheus text format.

#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "collector/daemon/metrics.hpp"
#include "collector/daemon/status.hpp"
#include "tests/support/collector_status.hpp"
#include "tests/support/exposition.hpp"

using namespace streamscope::collector;
using namespace std::chrono_literals;
using std::chrono::system_clock;
using namespace streamscope::testing;

TEST_CASE("metrics_text is valid exposition format with every metric", "[unit][health]") {
    const collector_status s = busy_collector();
    const exposition e = parse_exposition(metrics_text(s, t0));
    CHECK(e.problems.empty());
    for (const auto& p : e.problems) {
        UNSCOPED_INFO(p);
    }

    const std::map<std::string, std::string> families{
        {"sweeps_total", "counter"},
        {"pages_total", "counter"},
        {"requests_total", "counter"},
        {"retries_total", "counter"},
        {"rate_limited_total", "counter"},
        {"malformed_records_total", "counter"},
        {"rate_limit_remaining", "gauge"},
        {"last_sweep_duration_seconds", "gauge"},
        {"last_store_duration_seconds", "gauge"},
        {"last_sweep_streams", "gauge"},
        {"last_sweep_timestamp_seconds", "gauge"},
        {"rows_written_total", "counter"},
        {"sweeps_replayed_total", "counter"},
        {"leader", "gauge"},
        {"platform_up", "gauge"},
        {"platform_healthy", "gauge"},
        {"spool_bytes", "gauge"},
        {"spool_files", "gauge"},
        {"database_up", "gauge"},
        {"healthy", "gauge"},
        {"quota_units_daily", "gauge"},
        {"quota_units_spent", "gauge"},
        {"quota_units_projected", "gauge"},
    };
    std::map<std::string, std::string> expected_types;
    for (const auto& [name, type] : families) {
        expected_types["streamscope_collector_" + name] = type;
    }
    CHECK(e.types == expected_types);

    const std::map<std::string, double> expected{
        {R"(streamscope_collector_sweeps_total{platform="twitch",status="complete"})", 11},
        {R"(streamscope_collector_sweeps_total{platform="twitch",status="partial"})", 2},
        {R"(streamscope_collector_sweeps_total{platform="twitch",status="failed"})", 0},
        {R"(streamscope_collector_pages_total{platform="twitch"})", 10'890},
        {R"(streamscope_collector_requests_total{platform="twitch",code="0"})", 1},
        {R"(streamscope_collector_requests_total{platform="twitch",code="200"})", 12'000},
        {R"(streamscope_collector_requests_total{platform="twitch",code="429"})", 3},
        {R"(streamscope_collector_retries_total{platform="twitch"})", 4},
        {R"(streamscope_collector_rate_limited_total{platform="twitch"})", 3},
        {R"(streamscope_collector_malformed_records_total{platform="twitch"})", 5},
        {R"(streamscope_collector_rate_limit_remaining{platform="twitch"})", 777},
        {R"(streamscope_collector_last_sweep_duration_seconds{platform="twitch"})", 59.75},
        {R"(streamscope_collector_last_store_duration_seconds{platform="twitch"})", 0.625},
        {R"(streamscope_collector_last_sweep_streams{platform="twitch"})", 98'765},
        {R"(streamscope_collector_last_sweep_timestamp_seconds{platform="twitch"})",
         1'799'999'900.25},
        {R"(streamscope_collector_rows_written_total{platform="twitch"})", 1'086'415},
        {R"(streamscope_collector_sweeps_replayed_total{platform="twitch"})", 1},
        {R"(streamscope_collector_leader{platform="twitch"})", 1},
        {R"(streamscope_collector_platform_up{platform="twitch"})", 1},
        {R"(streamscope_collector_platform_healthy{platform="twitch"})", 1},
        {"streamscope_collector_spool_bytes", 1234},
        {"streamscope_collector_spool_files", 2},
        {"streamscope_collector_database_up", 1},
        {"streamscope_collector_healthy", 1},
    };
    for (const auto& [sample, value] : expected) {
        INFO(sample);
        REQUIRE(e.samples.contains(sample));
        CHECK(e.samples.at(sample) == value);
    }
    CHECK(e.samples.size() == expected.size());
}

TEST_CASE("metrics_text of two platforms keeps each family together", "[unit][health]") {
    collector_status s = busy_collector();
    s.platforms[kick] = busy_leader();
    s.platforms[kick].current_role = role::stopped;
    const exposition e = parse_exposition(metrics_text(s, t0));
    CHECK(e.problems.empty());
    for (const auto& p : e.problems) {
        UNSCOPED_INFO(p);
    }
    CHECK(e.samples.at(R"(streamscope_collector_pages_total{platform="kick"})") == 10'890);
    CHECK(e.samples.at(R"(streamscope_collector_platform_up{platform="kick"})") == 0);
    CHECK(e.samples.at(R"(streamscope_collector_platform_healthy{platform="kick"})") == 0);
    CHECK(e.samples.at("streamscope_collector_healthy") == 1);
}

TEST_CASE("metrics_text without a sweep, and with odd label values", "[unit][health]") {
    collector_status s;
    s.started_at = t0 - 1h;
    platform_status& p = s.platforms[twitch];
    p.current_role = role::standby;
    p.sweeps_by_status = {{"we\"ird\\\nstatus", 1}};
    const std::string text = metrics_text(s, t0);
    const exposition e = parse_exposition(text);
    CHECK(e.problems.empty());
    for (const auto& problem : e.problems) {
        UNSCOPED_INFO(problem);
    }
    CHECK(e.types.size() == 23);
    CHECK(
        text.find(
            R"(streamscope_collector_sweeps_total{platform="twitch",status="we\"ird\\\nstatus"} 1)") !=
        std::string::npos);
    // Unknown gauges have no sample rather than a misleading 0.
    for (const char* absent :
         {"rate_limit_remaining", "last_sweep_duration_seconds", "last_store_duration_seconds",
          "last_sweep_streams", "last_sweep_timestamp_seconds"}) {
        INFO(absent);
        CHECK_FALSE(e.samples.contains(std::string("streamscope_collector_") + absent +
                                       R"({platform="twitch"})"));
    }
    CHECK(e.samples.at(R"(streamscope_collector_leader{platform="twitch"})") == 0);
    CHECK(e.samples.at("streamscope_collector_database_up") == 0);
    CHECK(e.samples.at("streamscope_collector_healthy") == 0);
    CHECK(e.samples.at(
              R"(streamscope_collector_sweeps_total{platform="twitch",status="complete"})") == 0);
}

TEST_CASE("metrics_text shows a platform's daily quota, and nothing where there is none",
          "[unit][health]") {
    collector_status s;
    s.started_at = t0 - 1h;
    s.platforms[twitch].current_role = role::leader;
    s.platforms[streamscope::model::platform::youtube].quota = quota_report{.day = "2026-12-07",
                                                                            .daily_quota = 10'000,
                                                                            .spent = 420,
                                                                            .projected = 6'100,
                                                                            .exhausted = false};
    const exposition e = parse_exposition(metrics_text(s, t0));
    CHECK(e.problems.empty());
    CHECK(e.samples.at(R"(streamscope_collector_quota_units_daily{platform="youtube"})") == 10'000);
    CHECK(e.samples.at(R"(streamscope_collector_quota_units_spent{platform="youtube"})") == 420);
    CHECK(e.samples.at(R"(streamscope_collector_quota_units_projected{platform="youtube"})") ==
          6'100);
    CHECK_FALSE(
        e.samples.contains(R"(streamscope_collector_quota_units_spent{platform="twitch"})"));
}

TEST_CASE("metrics_text shows webhook deliveries only in the delivering collector",
          "[unit][health]") {
    collector_status s;
    s.started_at = t0 - 1h;
    CHECK(metrics_text(s, t0).find("webhook_deliveries") == std::string::npos);
    s.webhooks = webhook_status{3, 120, 1};
    const exposition e = parse_exposition(metrics_text(s, t0));
    CHECK(e.problems.empty());
    CHECK(e.samples.at(R"(streamscope_collector_webhook_deliveries{state="pending"})") == 3);
    CHECK(e.samples.at(R"(streamscope_collector_webhook_deliveries{state="delivered"})") == 120);
    CHECK(e.samples.at(R"(streamscope_collector_webhook_deliveries{state="failed"})") == 1);
}

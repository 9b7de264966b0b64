// The collector is healthy, and /health says so: per platform and as a whole.

#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "collector/daemon/health_server.hpp"
#include "collector/daemon/metrics.hpp"
#include "collector/daemon/status.hpp"
#include "tests/support/collector_status.hpp"

namespace json = boost::json;
using namespace streamscope::collector;
using namespace std::chrono_literals;
using std::chrono::system_clock;
using namespace streamscope::testing;

TEST_CASE("role names", "[unit][health]") {
    CHECK(std::string(to_string(role::starting)) == "starting");
    CHECK(std::string(to_string(role::leader)) == "leader");
    CHECK(std::string(to_string(role::standby)) == "standby");
    CHECK(std::string(to_string(role::detached)) == "detached");
    CHECK(std::string(to_string(role::stopped)) == "stopped");
}

TEST_CASE("a leader is healthy while its last good sweep is younger than 2.5 intervals",
          "[unit][health]") {
    platform_status p = busy_leader();
    const auto started = t0 - 1h;
    const auto finished = p.last_good_sweep->finished_at;
    CHECK(is_healthy(p, started, finished));
    CHECK(is_healthy(p, started, finished + 749s));
    CHECK_FALSE(is_healthy(p, started, finished + 750s));
    CHECK_FALSE(is_healthy(p, started, finished + 1h));

    SECTION("a newer failed sweep does not count") {
        p.last_sweep->status = "failed";
        p.last_sweep->finished_at = finished + 700s;
        CHECK_FALSE(is_healthy(p, started, finished + 751s));
    }
    SECTION("the interval scales the limit") {
        p.interval = std::chrono::duration<double>(10.0);
        CHECK(is_healthy(p, started, finished + 24s));
        CHECK_FALSE(is_healthy(p, started, finished + 26s));
    }
    SECTION("a detached collector counts its spooled sweeps the same way") {
        p.current_role = role::detached;
        p.last_good_sweep->spooled = true;
        CHECK(is_healthy(p, started, finished + 700s));
        CHECK_FALSE(is_healthy(p, started, finished + 800s));
    }
    SECTION("a clock behind the sweep's is not a failure") {
        CHECK(is_healthy(p, started, finished - 10s));
    }
    SECTION("a platform that refused the collector is never healthy") {
        p.current_role = role::stopped;
        CHECK_FALSE(is_healthy(p, started, finished));
    }
}

TEST_CASE("with no sweep yet a platform is healthy for 2.5 intervals after the start",
          "[unit][health]") {
    platform_status p;
    p.interval = 60s;
    for (const role r : {role::starting, role::leader, role::standby, role::detached}) {
        p.current_role = r;
        INFO(to_string(r));
        CHECK(is_healthy(p, t0, t0));
        CHECK(is_healthy(p, t0, t0 + 149s));
        CHECK_FALSE(is_healthy(p, t0, t0 + 150s));
    }
    SECTION("a standby promoted to leader starts from the previous leader's last sweep") {
        p.current_role = role::leader;
        p.leader_last_sweep_at = t0 + 1h;
        CHECK(is_healthy(p, t0, t0 + 1h + 149s));
        CHECK_FALSE(is_healthy(p, t0, t0 + 1h + 151s));
    }
}

TEST_CASE("a standby follows the leader's newest sweep", "[unit][health]") {
    platform_status p;
    p.current_role = role::standby;
    p.interval = 300s;
    p.leader_last_sweep_at = t0 - 600s;
    const auto started = t0 - 1h;
    CHECK(is_healthy(p, started, t0));
    CHECK(is_healthy(p, started, t0 + 149s));
    CHECK_FALSE(is_healthy(p, started, t0 + 151s));
    SECTION("its own old sweeps from when it led do not count") {
        p.last_good_sweep = sweep_summary{.started_at = t0,
                                          .finished_at = t0 + 100s,
                                          .status = "complete",
                                          .streams = 1,
                                          .pages = 1,
                                          .rows_written = 1,
                                          .spooled = false};
        CHECK_FALSE(is_healthy(p, started, t0 + 151s));
    }
}

TEST_CASE("the collector is healthy while every platform that runs is", "[unit][health]") {
    collector_status s = busy_collector();
    const auto finished = s.platforms[twitch].last_good_sweep->finished_at;
    CHECK(is_healthy(s, finished + 10s));
    s.platforms[kick].current_role = role::leader;
    s.platforms[kick].interval = 60s;
    CHECK_FALSE(is_healthy(s, finished + 10s)); // Kick has swept nothing in the hour
    s.platforms[kick].last_good_sweep = s.platforms[twitch].last_good_sweep;
    CHECK(is_healthy(s, finished + 10s));
    CHECK_FALSE(is_healthy(s, finished + 200s)); // Kick's interval is shorter
    SECTION("a platform that refused the collector is reported, not counted") {
        s.platforms[kick].current_role = role::stopped;
        CHECK(is_healthy(s, finished + 200s));
        s.platforms[twitch].current_role = role::stopped;
        CHECK_FALSE(is_healthy(s, finished + 200s)); // nothing runs
    }
}

TEST_CASE("health_json describes the collector and each platform", "[unit][health]") {
    const collector_status s = busy_collector();
    const json::value doc = json::parse(health_json(s, t0));
    const json::object& o = doc.as_object();
    CHECK(o.at("status") == "ok");
    CHECK(o.at("database") == "up");
    CHECK(o.at("spool").at("bytes") == 1234);
    CHECK(o.at("spool").at("files") == 2);
    CHECK(o.size() == 4);
    REQUIRE(o.at("platforms").as_object().size() == 1);
    const json::object& t = o.at("platforms").at("twitch").as_object();
    CHECK(t.at("status") == "ok");
    CHECK(t.at("role") == "leader");
    const json::object& sweep = t.at("last_sweep").as_object();
    CHECK(sweep.at("started_at") == "2027-01-15T07:57:20Z");
    CHECK(sweep.at("finished_at") == "2027-01-15T07:58:20.250000Z");
    CHECK(sweep.at("status") == "complete");
    CHECK(sweep.at("streams") == 98'765);
    CHECK(sweep.at("pages") == 990);
    CHECK(sweep.at("spooled") == false);
    CHECK(sweep.at("age_s").to_number<double>() == Approx(99.75));
    CHECK(t.at("leader_last_sweep_at").is_null());
    CHECK(t.at("token_expires_in_s") == 3600);
    CHECK(t.at("interval_s").to_number<double>() == 300.0);
    CHECK(t.size() == 6);

    SECTION("numbers are written as people read them") {
        const std::string text = health_json(s, t0);
        CHECK(text.find(R"("interval_s":300})") != std::string::npos);
        CHECK(text.find(R"("age_s":99.75})") != std::string::npos);
    }
}

TEST_CASE("health_json of a fresh standby, and of a platform left out", "[unit][health]") {
    collector_status s;
    s.started_at = t0;
    platform_status& p = s.platforms[twitch];
    p.current_role = role::standby;
    p.interval = std::chrono::duration<double>(0.5);
    p.leader_last_sweep_at = t0 - 1h;
    p.token_expires_at = t0 - 1500ms;
    const json::value doc = json::parse(health_json(s, t0));
    const json::object& o = doc.as_object();
    CHECK(o.at("status") == "failing");
    CHECK(o.at("database") == "down");
    const json::object& t = o.at("platforms").at("twitch").as_object();
    CHECK(t.at("status") == "failing");
    CHECK(t.at("role") == "standby");
    CHECK(t.at("last_sweep").is_null());
    CHECK(t.at("leader_last_sweep_at") == "2027-01-15T07:00:00Z");
    CHECK(t.at("token_expires_in_s") == -2); // expired: rounded down, never "0 s left"
    CHECK(t.at("interval_s").to_number<double>() == 0.5);

    p.token_expires_at.reset();
    p.last_sweep = sweep_summary{.started_at = t0,
                                 .finished_at = t0,
                                 .status = "fail\"ed\n\\",
                                 .streams = 0,
                                 .pages = 0,
                                 .rows_written = 0,
                                 .spooled = true};
    platform_status& k = s.platforms[kick];
    k.current_role = role::stopped;
    k.stopped_because = "Kick refused the app credentials (HTTP 401: invalid_client)";
    const json::value doc2 = json::parse(health_json(s, t0));
    const json::object& t2 = doc2.at("platforms").at("twitch").as_object();
    CHECK(t2.at("token_expires_in_s").is_null());
    CHECK(t2.at("last_sweep").at("status") == "fail\"ed\n\\");
    CHECK(t2.at("last_sweep").at("spooled") == true);
    const json::object& k2 = doc2.at("platforms").at("kick").as_object();
    CHECK(k2.at("status") == "stopped");
    CHECK(k2.at("role") == "stopped");
    CHECK(k2.at("stopped_because").as_string() == k.stopped_because);
}

TEST_CASE("health_json shows a platform's daily quota", "[unit][health]") {
    collector_status s;
    s.started_at = t0;
    platform_status& p = s.platforms[streamscope::model::platform::youtube];
    p.quota = quota_report{.day = "2026-12-07",
                           .daily_quota = 10'000,
                           .spent = 10'400,
                           .projected = 10'400,
                           .exhausted = true};
    const json::value doc = json::parse(health_json(s, t0));
    const json::object& q = doc.at("platforms").at("youtube").at("quota").as_object();
    CHECK(q.at("day") == "2026-12-07");
    CHECK(q.at("daily_units") == 10'000);
    CHECK(q.at("spent_units") == 10'400);
    CHECK(q.at("left_units") == 0); // never negative, also when another app overspent
    CHECK(q.at("projected_units") == 10'400);
    CHECK(q.at("exhausted") == true);
}

#include <chrono>

#include <catch2/catch.hpp>

#include "collector/youtube/quota_plan.hpp"

using namespace streamscope::youtube;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

// A quota day that began at `day_start` (24 hours long unless said otherwise), asked `into` it.
quota_plan_input quota_day_of(std::int64_t spent, std::int64_t units_per_sweep, seconds into = 0s,
                              hours length = 24h, milliseconds interval = 300s) {
    const system_clock::time_point day_start{seconds{1'800'000'000}};
    quota_plan_input input;
    input.daily_quota = 10'000;
    input.spent_today = spent;
    input.now = day_start + into;
    input.day_ends = day_start + length;
    input.units_per_sweep = units_per_sweep;
    input.configured_interval = interval;
    return input;
}

} // namespace

TEST_CASE("the reserve: 2% of the quota, at least 20 units, at most all of it", "[unit][youtube]") {
    CHECK(quota_reserve(10'000) == 200);
    CHECK(quota_reserve(1'000'000) == 20'000);
    CHECK(quota_reserve(500) == 20);
    CHECK(quota_reserve(10) == 10);
    CHECK(quota_reserve(0) == 0);
}

TEST_CASE("2,000 channels with 100 live at 5 minutes fit a day of 10,000 units",
          "[unit][youtube]") {
    // 100 candidates: ceil(100 / 50) = 2 units a sweep; 288 sweeps × 2 = 576 units of the
    // 9,800 that sweeps may spend (10,000 less the 200 reserve): 9,224 to spare, room for a
    // candidate list 17 times as long.
    const auto plan = plan_quota(quota_day_of(0, 2));
    CHECK(plan.interval == 300s);
    CHECK(plan.sweeps_left == 288);
    CHECK(plan.projected_day_total == 576);
    CHECK_FALSE(plan.lengthened);
    CHECK_FALSE(plan.exhausted);
    CHECK(plan.reserve == 200);
    // With 3 fallbacks expected each sweep, 5 units: 1,440.
    CHECK(plan_quota(quota_day_of(0, 5)).projected_day_total == 1'440);
}

TEST_CASE("sweeps that would not fit the day run less often, in whole milliseconds",
          "[unit][youtube]") {
    // Every one of the 2,000 channels a candidate: 40 units a sweep, 11,520 at 5 minutes.
    // 9,800 / 40 = 245 sweeps fit: one every ceil(86,400,000 ms / 245) = 352,654 ms (352,653.06
    // would fit too, but is not a whole millisecond); ceil(86,400,000 / 352,654) = 245 sweeps.
    const auto plan = plan_quota(quota_day_of(0, 40));
    CHECK(plan.interval == 352'654ms);
    CHECK(plan.sweeps_left == 245);
    CHECK(plan.projected_day_total == 9'800);
    CHECK(plan.lengthened);
    CHECK_FALSE(plan.exhausted);

    // The 23-hour day daylight time begins with: ceil(82,800,000 ms / 245) = 337,960 ms.
    const auto short_day = plan_quota(quota_day_of(0, 40, 0s, 23h));
    CHECK(short_day.interval == 337'960ms);
    CHECK(short_day.sweeps_left == 245);
}

TEST_CASE("the quota nearly spent by midday", "[unit][youtube]") {
    // 10 units left to plan: 5 sweeps of 2 over the 12 hours left, one every 8,640 s.
    const auto plan = plan_quota(quota_day_of(9'790, 2, 12h));
    CHECK(plan.interval == 8'640s);
    CHECK(plan.sweeps_left == 5);
    CHECK(plan.projected_day_total == 9'800);
    CHECK(plan.lengthened);
    CHECK_FALSE(plan.exhausted);

    // 1 unit left: not even one sweep of 2; wait out the 12 hours.
    const auto spent = plan_quota(quota_day_of(9'799, 2, 12h));
    CHECK(spent.exhausted);
    CHECK(spent.sweeps_left == 0);
    CHECK(spent.interval == 43'200s);
    CHECK(spent.lengthened);
    CHECK(spent.projected_day_total == 9'799);

    // Past the quota (Google counted more than we did): the same.
    const auto over = plan_quota(quota_day_of(10'050, 2, 23h + 59min + 59s));
    CHECK(over.exhausted);
    CHECK(over.interval == 300s); // the day ends sooner than the configured interval
    CHECK_FALSE(over.lengthened);
}

TEST_CASE("the day nearly over, and over", "[unit][youtube]") {
    const auto plan = plan_quota(quota_day_of(5'000, 2, 24h - 100s));
    CHECK(plan.interval == 300s);
    CHECK(plan.sweeps_left == 1); // the one now
    CHECK(plan.projected_day_total == 5'002);
    CHECK_FALSE(plan.lengthened);
    CHECK_FALSE(plan.exhausted);

    auto final_sweep = quota_day_of(9'798, 2);
    final_sweep.now = final_sweep.day_ends - 1ns;
    const auto last_moment = plan_quota(final_sweep);
    CHECK(last_moment.sweeps_left == 1);
    CHECK(last_moment.projected_day_total == 9'800);

    const auto over = plan_quota(quota_day_of(5'000, 2, 24h));
    CHECK(over.sweeps_left == 0);
    CHECK(over.projected_day_total == 5'000);
    CHECK_FALSE(over.exhausted);
    CHECK(over.interval == 300s);
}

TEST_CASE("a sweep with nothing to look at costs nothing", "[unit][youtube]") {
    for (const std::int64_t spent : {0, 9'900, 20'000}) {
        INFO(spent);
        const auto plan = plan_quota(quota_day_of(spent, 0));
        CHECK(plan.interval == 300s);
        CHECK(plan.sweeps_left == 288);
        CHECK(plan.projected_day_total == spent);
        CHECK_FALSE(plan.lengthened);
        CHECK_FALSE(plan.exhausted);
    }
    CHECK(plan_quota(quota_day_of(0, 0, 0s, 24h, 0s)).interval == 1ms); // 0 counts as 1 ms
}

TEST_CASE("sweeps under a second apart are counted as they come", "[unit][youtube]") {
    // A compressed test day sweeps every 0.3 s: the 12 minutes left hold 2,400 of them.
    const auto plan = plan_quota(quota_day_of(0, 1, 24h - 12min, 24h, 300ms));
    CHECK(plan.interval == 300ms);
    CHECK(plan.sweeps_left == 2'400);
    CHECK(plan.projected_day_total == 2'400);
    CHECK_FALSE(plan.lengthened);

    // 9,800 units for 2,400 sweeps of 5: 1,960 fit, one every ceil(720,000 / 1,960) = 368 ms.
    const auto lengthened = plan_quota(quota_day_of(0, 5, 24h - 12min, 24h, 300ms));
    CHECK(lengthened.interval == 368ms);
    CHECK(lengthened.sweeps_left == 1'957);
    CHECK(lengthened.projected_day_total == 9'785);
    CHECK(lengthened.lengthened);
}

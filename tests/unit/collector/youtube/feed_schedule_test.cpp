#include <chrono>
#include <limits>

#include <catch2/catch.hpp>

#include "collector/youtube/feed_schedule.hpp"

using namespace streamscope::youtube;
using namespace std::chrono_literals;

TEST_CASE("feed polls spread evenly over the interval when the rate allows", "[unit][youtube]") {
    // 2,000 channels in 15 minutes: one every 450 ms, slower than 5 a second.
    const auto even = plan_feed_cadence(2'000, 900s, 5);
    CHECK(even.spacing == 450ms);
    CHECK(even.cycle == 900s);
    CHECK_FALSE(even.rate_bound);

    // 7 channels in 100 s: 14,285 ms each (rounded down), the cycle rounded up to 100 s.
    const auto odd = plan_feed_cadence(7, 100s, 1);
    CHECK(odd.spacing == 14'285ms);
    CHECK(odd.cycle == 100s);
    CHECK_FALSE(odd.rate_bound);

    // Exactly at the rate: not bound by it.
    const auto exact = plan_feed_cadence(600, 300s, 2);
    CHECK(exact.spacing == 500ms);
    CHECK(exact.cycle == 300s);
    CHECK_FALSE(exact.rate_bound);
}

TEST_CASE("the politeness rate stretches a cycle past the interval", "[unit][youtube]") {
    // 2,000 channels in 5 minutes would be 150 ms apart; 2 a second allows 500 ms.
    const auto bound = plan_feed_cadence(2'000, 300s, 2);
    CHECK(bound.spacing == 500ms);
    CHECK(bound.cycle == 1'000s);
    CHECK(bound.rate_bound);

    // 3 a second: 333.3 ms rounds up to 334, never faster than the rate.
    const auto third = plan_feed_cadence(2'000, 300s, 3);
    CHECK(third.spacing == 334ms);
    CHECK(third.cycle == 668s);
    CHECK(third.rate_bound);
}

TEST_CASE("feed cadence edge cases", "[unit][youtube]") {
    const auto none = plan_feed_cadence(0, 300s, 2);
    CHECK(none.spacing == 300s);
    CHECK(none.cycle == 0s);
    CHECK_FALSE(none.rate_bound);

    // A rate that is no rate counts as 1 a second.
    for (const double rate : {0.0, -3.0, std::numeric_limits<double>::quiet_NaN()}) {
        INFO(rate);
        const auto c = plan_feed_cadence(600, 300s, rate);
        CHECK(c.spacing == 1s);
        CHECK(c.cycle == 600s);
        CHECK(c.rate_bound);
    }
    // No rate limit at all: still 1 ms apart at most.
    const auto unlimited =
        plan_feed_cadence(1'000'000, 60s, std::numeric_limits<double>::infinity());
    CHECK(unlimited.spacing == 1ms);
    CHECK(unlimited.cycle == 1'000s);
    CHECK(unlimited.rate_bound);
    const auto slow = plan_feed_cadence(1, 60s, 1e-300);
    CHECK(slow.spacing == std::chrono::milliseconds{1'000'000'000'000'000});
}

TEST_CASE("429s in a row double the spacing up to the ceiling", "[unit][youtube]") {
    slowdown s(500ms);
    CHECK(s.spacing() == 500ms);
    CHECK_FALSE(s.slowed());
    s.throttled();
    CHECK(s.spacing() == 1s);
    CHECK(s.throttled_in_a_row() == 1);
    for (int i = 0; i < 5; ++i) {
        s.throttled();
    }
    CHECK(s.spacing() == 32s);
    s.throttled();
    CHECK(s.spacing() == 60s); // not 64
    s.throttled();
    CHECK(s.spacing() == 60s);
    CHECK(s.throttled_in_a_row() == 8);
    CHECK(s.slowed());
}

TEST_CASE("runs of answers without a 429 halve the spacing back to the plan", "[unit][youtube]") {
    slowdown s(500ms, {.ceiling = 60s, .successes_to_halve = 3});
    s.throttled();
    s.throttled();
    s.throttled();
    REQUIRE(s.spacing() == 4s);
    s.succeeded();
    s.succeeded();
    CHECK(s.spacing() == 4s);
    CHECK(s.throttled_in_a_row() == 0);
    s.succeeded();
    CHECK(s.spacing() == 2s);
    // A 429 in the middle of a run starts the run again.
    s.succeeded();
    s.succeeded();
    s.throttled();
    CHECK(s.spacing() == 4s);
    for (int i = 0; i < 3 * 3; ++i) {
        s.succeeded();
    }
    CHECK(s.spacing() == 500ms);
    CHECK_FALSE(s.slowed());
    for (int i = 0; i < 30; ++i) {
        s.succeeded();
    }
    CHECK(s.spacing() == 500ms); // never below the plan
}

TEST_CASE("a halving stops at the planned spacing, not below", "[unit][youtube]") {
    slowdown s(700ms, {.ceiling = 1s, .successes_to_halve = 1});
    s.throttled();
    CHECK(s.spacing() == 1s); // the ceiling, not 1,400 ms
    s.succeeded();
    CHECK(s.spacing() == 700ms); // not 500 ms
    CHECK_FALSE(s.slowed());
}

TEST_CASE("a slowdown across a new plan, and a plan above the ceiling", "[unit][youtube]") {
    slowdown s(500ms);
    s.replan(200ms);
    CHECK(s.spacing() == 200ms); // not slowed: follows the plan
    s.throttled();
    s.throttled();
    CHECK(s.spacing() == 800ms);
    s.replan(300ms);
    CHECK(s.spacing() == 800ms); // slowed: stays
    CHECK(s.planned() == 300ms);
    s.replan(2s);
    CHECK(s.spacing() == 2s); // never faster than the plan

    // 10 channels every 15 minutes: 90 s apart, longer than the ceiling; a 429 cannot slow it.
    slowdown sparse(90s);
    sparse.throttled();
    CHECK(sparse.spacing() == 90s);
    CHECK(sparse.throttled_in_a_row() == 1);
}

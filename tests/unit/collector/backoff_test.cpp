#include <random>

#include <catch2/catch.hpp>

#include "common/time/backoff.hpp"

using streamscope::time::backoff_policy;
using namespace std::chrono_literals;

TEST_CASE("backoff ceilings double up to the cap", "[unit][backoff]") {
    const backoff_policy policy{.base = 250ms, .cap = 3000ms, .max_retries = 5};
    CHECK(policy.ceiling(0) == 250ms);
    CHECK(policy.ceiling(1) == 500ms);
    CHECK(policy.ceiling(3) == 2000ms);
    CHECK(policy.ceiling(4) == 3000ms);
    CHECK(policy.ceiling(100) == 3000ms); // no overflow
}

TEST_CASE("full jitter spreads waits over the whole range", "[unit][backoff]") {
    const backoff_policy policy{.base = 100ms, .cap = 10000ms, .max_retries = 5};
    std::mt19937 random{42};
    std::chrono::milliseconds lowest{1000000};
    std::chrono::milliseconds highest{0};
    for (int i = 0; i < 2000; ++i) {
        const auto d = policy.delay(3, random);
        REQUIRE(d >= 0ms);
        REQUIRE(d <= 800ms);
        lowest = std::min(lowest, d);
        highest = std::max(highest, d);
    }
    CHECK(lowest < 50ms);
    CHECK(highest > 750ms);
}

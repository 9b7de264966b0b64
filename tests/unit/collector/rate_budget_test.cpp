#include <catch2/catch.hpp>

#include "collector/twitch/rate_budget.hpp"

using streamscope::twitch::rate_budget;
using streamscope::twitch::rate_headers;
using namespace std::chrono_literals;

namespace {
const rate_budget::clock::time_point t0{std::chrono::hours(1)};
const std::chrono::system_clock::time_point wall0{std::chrono::seconds(1'800'000'000)};
} // namespace

TEST_CASE("a full bucket lets requests go at once down to the reserve", "[unit][rate]") {
    rate_budget budget{800};
    CHECK(budget.reserve() == Approx(8.0));
    int sent = 0;
    while (budget.delay(t0) == 0s) {
        budget.spend(t0);
        ++sent;
    }
    CHECK(sent == 792); // 800 points, 8 kept back
    // Then one request per refill interval: 800 a minute is 75 ms a point.
    const auto wait = budget.delay(t0);
    CHECK(wait > 0ms);
    CHECK(wait <= 75ms);
}

TEST_CASE("pacing over a minute never exceeds the limit and wastes little", "[unit][rate]") {
    rate_budget budget{800};
    auto now = t0;
    int sent = 0;
    const auto end = t0 + 60s;
    while (true) {
        now += budget.delay(now);
        if (now >= end) {
            break;
        }
        budget.spend(now);
        ++sent;
    }
    // A full bucket plus a minute of refill is 1600 points; all but the reserve are used.
    CHECK(sent <= 1600);
    CHECK(sent >= 1590);
}

TEST_CASE("headers correct the estimate", "[unit][rate]") {
    rate_budget budget{800};
    budget.observe({.limit = 120, .remaining = 3, .reset_epoch_s = {}}, t0);
    CHECK(budget.limit() == 120);
    CHECK(budget.available(t0) == Approx(3.0));
    // 120 a minute refills 2 points a second; the reserve is 1.2 points.
    CHECK(budget.delay(t0) == 0s);
    budget.spend(t0);
    budget.spend(t0); // 1 left: wait until 2.2 are there
    CHECK(std::chrono::duration<double>(budget.delay(t0)).count() == Approx(0.6));
    CHECK(budget.available(t0 + 10min) == Approx(120.0)); // never more than the bucket
}

TEST_CASE("missing headers keep the local estimate", "[unit][rate]") {
    rate_budget budget{800};
    budget.spend(t0);
    budget.observe({}, t0);
    CHECK(budget.available(t0) == Approx(799.0));
    CHECK(budget.limit() == 800);
}

TEST_CASE("a 429 blocks until the reset time, within bounds", "[unit][rate]") {
    SECTION("reset in 5 s") {
        rate_budget budget{800};
        budget.exhausted({.limit = 800, .remaining = 0, .reset_epoch_s = 1'800'000'005}, t0, wall0);
        const auto wait = budget.delay(t0);
        CHECK(wait >= 5s);
        CHECK(wait < 6s);
    }
    SECTION("a reset time in the past still waits a second") {
        rate_budget budget{800};
        budget.exhausted({.limit = 800, .remaining = 0, .reset_epoch_s = 1'799'999'000}, t0, wall0);
        CHECK(budget.delay(t0) >= 1s);
        CHECK(budget.delay(t0) < 2s);
    }
    SECTION("a skewed clock never makes it wait more than about a minute") {
        rate_budget budget{800};
        budget.exhausted({.limit = 800, .remaining = 0, .reset_epoch_s = 1'800'009'000}, t0, wall0);
        CHECK(budget.delay(t0) <= 66s);
    }
    SECTION("no headers: a minute refills the whole bucket") {
        rate_budget budget{800};
        budget.exhausted({}, t0, wall0);
        CHECK(budget.delay(t0) >= 60s);
        CHECK(budget.delay(t0 + 66s) == 0s);
    }
}

#include <catch2/catch.hpp>

#include "tests/platform_mock/kick/rate_limit.hpp"

using streamscope::platform_mock::kick::sliding_window_limit;
using namespace std::chrono_literals;

TEST_CASE("Kick's limit passes R requests in any 60 s and says when the next one would pass",
          "[unit][platform_mock]") {
    sliding_window_limit limit(3);
    const sliding_window_limit::clock::time_point t0{1'800'000'000s};
    CHECK(limit.take("client", t0).allowed);
    CHECK(limit.take("client", t0 + 10s).allowed);
    CHECK(limit.take("client", t0 + 20s).allowed);

    const auto denied = limit.take("client", t0 + 30s);
    CHECK_FALSE(denied.allowed);
    CHECK(denied.retry_after == 30s); // the first request leaves the window at t0 + 60 s
    const auto almost = limit.take("client", t0 + 59s + 500ms);
    CHECK_FALSE(almost.allowed);
    CHECK(almost.retry_after == 1s); // rounded up, never 0

    // Sliding, not fixed: at t0 + 60 s one slot is free, the next only at t0 + 70 s.
    CHECK(limit.take("client", t0 + 60s).allowed);
    CHECK_FALSE(limit.take("client", t0 + 65s).allowed);
    CHECK(limit.take("client", t0 + 70s).allowed);
}

TEST_CASE("Kick's limit counts each client apart, and 0 means none", "[unit][platform_mock]") {
    sliding_window_limit limit(1);
    const sliding_window_limit::clock::time_point t0{1'800'000'000s};
    CHECK(limit.take("a", t0).allowed);
    CHECK_FALSE(limit.take("a", t0).allowed);
    CHECK(limit.take("b", t0).allowed);

    sliding_window_limit none(0);
    for (int i = 0; i < 10'000; ++i) {
        REQUIRE(none.take("a", t0).allowed);
    }
}

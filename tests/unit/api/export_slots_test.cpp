#include <catch2/catch.hpp>

#include "api/auth/export_slots.hpp"

using namespace streamscope::api;
using refusal = export_slots::refusal;

TEST_CASE("exports are limited on the server and per key, and a slot comes back when it goes",
          "[unit][api][export]") {
    export_slots slots{3, 2};
    auto a1 = slots.take(7);
    auto a2 = slots.take(7);
    REQUIRE(a1.held);
    REQUIRE(a2.held);
    const auto a3 = slots.take(7);
    CHECK_FALSE(a3.held);
    CHECK(a3.why == refusal::key_busy);
    auto b1 = slots.take(8); // another key: the server's last slot
    REQUIRE(b1.held);
    CHECK(slots.running() == 3);
    const auto none = slots.take(0);
    CHECK_FALSE(none.held);
    CHECK(none.why == refusal::server_busy);
    CHECK(slots.take(9).why == refusal::server_busy);

    auto copy = a1.held; // the streamed body's copies share one slot
    a1.held.reset();
    CHECK(slots.running() == 3);
    copy.reset();
    CHECK(slots.running() == 2);
    const auto again = slots.take(7); // key 7 has one running now
    CHECK(again.held);
}

TEST_CASE("exports without a key count against the server's limit alone", "[unit][api][export]") {
    export_slots slots{2, 1};
    const auto first = slots.take(0);
    const auto second = slots.take(0);
    CHECK(first.held);
    CHECK(second.held); // more than the per-key limit: no key is no key's limit
    CHECK(slots.take(0).why == refusal::server_busy);
}

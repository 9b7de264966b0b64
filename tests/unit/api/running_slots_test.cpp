#include <catch2/catch.hpp>

#include "api/auth/running_slots.hpp"

using namespace streamscope::api;
using refusal = running_slots::refusal;

TEST_CASE("long answers are limited on the server and per client, and a slot comes back when it "
          "goes",
          "[unit][api][export]") {
    running_slots slots{3};
    auto a1 = slots.take("key 7", 2);
    auto a2 = slots.take("key 7", 2);
    REQUIRE(a1.held);
    REQUIRE(a2.held);
    const auto a3 = slots.take("key 7", 2);
    CHECK_FALSE(a3.held);
    CHECK(a3.why == refusal::client_busy);
    auto b1 = slots.take("key 8", 2); // another client: the server's last slot
    REQUIRE(b1.held);
    CHECK(slots.running() == 3);
    const auto none = slots.take("", 2);
    CHECK_FALSE(none.held);
    CHECK(none.why == refusal::server_busy);
    CHECK(slots.take("key 9", 2).why == refusal::server_busy);

    auto copy = a1.held; // the streamed body's copies share one slot
    a1.held.reset();
    CHECK(slots.running() == 3);
    copy.reset();
    CHECK(slots.running() == 2);
    const auto again = slots.take("key 7", 2); // key 7 has one running now
    CHECK(again.held);
}

TEST_CASE("answers without a client count against the server's limit alone, and a client "
          "allowed none gets none",
          "[unit][api][export]") {
    running_slots slots{2};
    const auto first = slots.take("", 1);
    const auto second = slots.take("", 1);
    CHECK(first.held);
    CHECK(second.held); // more than the per-client limit: no client is no client's limit
    CHECK(slots.take("", 1).why == refusal::server_busy);

    running_slots feeds{5};
    CHECK(feeds.take("address 192.0.2.1", 0).why == refusal::client_busy);
    CHECK(feeds.running() == 0);
    CHECK(key_slot_owner(0).empty());
    CHECK(key_slot_owner(12) == "key 12");
}

#include <catch2/catch.hpp>

#include "collector/kick/adaptive_pacer.hpp"

using namespace streamscope;
using kick::adaptive_pacer;
using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

http::response answer(unsigned status, std::string retry_after = {}) {
    http::response res{static_cast<boost::beast::http::status>(status), 11};
    if (!retry_after.empty()) {
        res.set("Retry-After", retry_after);
    }
    return res;
}

const auto wall = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

// Sends `count` requests as fast as the pacer allows, each answered `status`; returns when the
// last one went.
steady::time_point send(adaptive_pacer& pacer, steady::time_point now, int count,
                        unsigned status = 200) {
    for (int i = 0; i < count; ++i) {
        now += pacer.delay(now);
        pacer.spend(now);
        pacer.answered(answer(status), now);
    }
    return now;
}

} // namespace

TEST_CASE("requests go evenly spaced at the starting pace", "[unit][kick]") {
    adaptive_pacer pacer({.start_per_minute = 60, .clean_answers_per_step = 1000});
    const steady::time_point t0{};
    CHECK(pacer.delay(t0) == 0s);
    pacer.spend(t0);
    CHECK(pacer.delay(t0) == 1s);
    CHECK(pacer.delay(t0 + 400ms) == 600ms);
    const auto last = send(pacer, t0 + 1s, 59);
    CHECK(last == t0 + 59s);
    CHECK(pacer.spare(last) == 0);
}

TEST_CASE("the pace creeps up while answers are clean", "[unit][kick]") {
    adaptive_pacer pacer({.start_per_minute = 60,
                          .max_per_minute = 100,
                          .clean_answers_per_step = 10,
                          .increase = 0.10});
    send(pacer, steady::time_point{}, 10);
    CHECK(pacer.per_minute() == Approx(66));
    send(pacer, steady::time_point{} + 1h, 1000);
    CHECK(pacer.per_minute() == Approx(100)); // never past its maximum
}

TEST_CASE("a 429 slows down, honours Retry-After, and caps later probing", "[unit][kick]") {
    adaptive_pacer pacer({.start_per_minute = 100,
                          .clean_answers_per_step = 10,
                          .increase = 0.10,
                          .decrease = 0.75,
                          .below_ceiling = 0.95,
                          .ceiling_patience = 5});
    const steady::time_point t0{};
    pacer.spend(t0);
    pacer.throttled(answer(429, "7"), t0, wall);
    CHECK(pacer.per_minute() == Approx(75));
    CHECK(pacer.ceiling_per_minute() == Approx(100));
    CHECK(pacer.delay(t0) == 7s); // Retry-After holds every request

    SECTION("clean answers bring it back to just below the rate that drew the 429") {
        // 82.5, 90.75, then 95 (not 99.8), where the next steps stay.
        auto now = send(pacer, t0 + 7s, 50);
        CHECK(pacer.per_minute() == Approx(95));
        // ... and past it only after a long clean stretch: 5 steps at the cap here.
        now = send(pacer, now, 20);
        CHECK(pacer.per_minute() == Approx(95));
        send(pacer, now, 10);
        CHECK(pacer.per_minute() == Approx(104.5));
        CHECK_FALSE(pacer.ceiling_per_minute().has_value());
    }
    SECTION("without Retry-After it pauses for a few gaps at the new pace, longer each time") {
        pacer.throttled(answer(429), t0 + 8s, wall);
        CHECK(pacer.per_minute() == Approx(56.25));
        // The second 429 in a row: 3 gaps of 60/56.25 s, doubled.
        CHECK(std::chrono::duration<double>(pacer.delay(t0 + 8s)).count() == Approx(6.4));
        CHECK(pacer.ceiling_per_minute() == Approx(75)); // the lower of the two
        for (int i = 0; i < 10; ++i) {
            pacer.throttled(answer(429), t0 + 9s, wall);
        }
        CHECK(pacer.delay(t0 + 9s) == 60s); // never longer than a minute
        // A clean answer starts the count again: 3 gaps at the minimum pace (6 a minute).
        pacer.answered(answer(200), t0 + 70s);
        pacer.throttled(answer(429), t0 + 70s, wall);
        CHECK(pacer.delay(t0 + 70s) == 30s);
    }
    SECTION("never slower than the minimum") {
        for (int i = 0; i < 50; ++i) {
            pacer.throttled(answer(429, "1"), t0, wall);
        }
        CHECK(pacer.per_minute() == Approx(6));
    }
}

TEST_CASE("Retry-After: seconds or an HTTP date, bounded", "[unit][kick]") {
    using std::chrono::seconds;
    CHECK(adaptive_pacer::retry_after("30", wall) == seconds(30));
    CHECK(adaptive_pacer::retry_after(" 2 ", wall) == seconds(2));
    CHECK(adaptive_pacer::retry_after("0", wall) == seconds(1));
    CHECK(adaptive_pacer::retry_after("86400", wall) == seconds(120));
    // wall is 2027-01-15T08:00:00Z.
    CHECK(adaptive_pacer::retry_after("Fri, 15 Jan 2027 08:00:42 GMT", wall) == seconds(42));
    CHECK(adaptive_pacer::retry_after("Fri, 15 Jan 2027 07:00:00 GMT", wall) == seconds(1));
    CHECK_FALSE(adaptive_pacer::retry_after("soon", wall).has_value());
    CHECK_FALSE(adaptive_pacer::retry_after("", wall).has_value());
    CHECK_FALSE(adaptive_pacer::retry_after("-5", wall).has_value());
}

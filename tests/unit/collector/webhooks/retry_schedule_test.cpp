#include <chrono>
#include <limits>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "collector/webhooks/retry_schedule.hpp"

using namespace streamscope::webhooks;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

TEST_CASE("retry ceilings are twice the documented waits", "[unit][webhooks]") {
    const std::vector<milliseconds> expected{10s, 60s, 4min, 20min, 1h, 2h, 4h, 8h, 16h};
    for (int attempt = 2; attempt <= 10; ++attempt) {
        INFO(attempt);
        CHECK(retry_ceiling(attempt) == expected[static_cast<std::size_t>(attempt - 2)]);
    }
    CHECK(retry_ceiling(11) == 16h);
    CHECK(retry_ceiling(1000) == 16h);
    CHECK_THROWS_AS(retry_ceiling(1), std::invalid_argument);
    CHECK_THROWS_AS(retry_delay(0, 0ms, 0.5), std::invalid_argument);
}

TEST_CASE("a retry's wait is the draw's share of 1 s to the ceiling", "[unit][webhooks]") {
    CHECK(retry_delay(2, 0ms, 0.0) == 1s);
    CHECK(retry_delay(2, 0ms, 1.0) == 10s);
    CHECK(retry_delay(2, 0ms, 0.5) == 5500ms);
    CHECK(retry_delay(6, 0ms, 0.5) == 1s + milliseconds(1h - 1s) / 2);
    // Draws outside [0, 1] are clamped; NaN is 0.
    CHECK(retry_delay(3, 0ms, -4.0) == 1s);
    CHECK(retry_delay(3, 0ms, 7.0) == 60s);
    CHECK(retry_delay(3, 0ms, std::numeric_limits<double>::quiet_NaN()) == 1s);
}

TEST_CASE("jittered waits cover their range and grow with the attempt", "[unit][webhooks]") {
    std::mt19937 random{2026};
    double previous_mean = 0;
    for (int attempt = 2; attempt <= 12; ++attempt) {
        INFO(attempt);
        const auto ceiling = retry_ceiling(attempt);
        milliseconds lowest = ceiling;
        milliseconds highest = 0ms;
        double sum = 0;
        int outside = 0;
        constexpr int draws = 4000;
        for (int i = 0; i < draws; ++i) {
            const auto wait = retry_delay(attempt, 0ms, random);
            if (!wait || *wait < 1s || *wait > ceiling) {
                ++outside;
                continue;
            }
            lowest = std::min(lowest, *wait);
            highest = std::max(highest, *wait);
            sum += static_cast<double>(wait->count());
        }
        CHECK(outside == 0);
        const double mean = sum / draws;
        // Full jitter: spread over the whole range, about half the ceiling on average.
        CHECK(lowest < 1s + (ceiling - 1s) / 20);
        CHECK(highest > ceiling - (ceiling - 1s) / 20);
        CHECK(mean == Approx(static_cast<double>((ceiling + 1s).count()) / 2).epsilon(0.05));
        CHECK(mean >= previous_mean);
        previous_mean = mean;
    }
}

TEST_CASE("no attempt starts more than a day after the first", "[unit][webhooks]") {
    CHECK(retry_delay(5, 24h - 1s, 0.0) == 1s); // exactly 24 h after: still made
    CHECK_FALSE(retry_delay(5, 24h - 999ms, 0.0));
    CHECK_FALSE(retry_delay(2, 24h, 0.0));
    CHECK_FALSE(retry_delay(11, 9h, 1.0)); // 9 h + 16 h
    CHECK(retry_delay(11, 8h, 1.0) == 16h);

    // Waits of the expected size: the documented schedule, 11 attempts in the day.
    const auto chain = [](double draw) {
        std::vector<milliseconds> starts{0ms};
        for (int attempt = 2;; ++attempt) {
            const auto wait = retry_delay(attempt, starts.back(), draw);
            if (!wait) {
                return starts;
            }
            starts.push_back(starts.back() + *wait);
        }
    };
    const auto expected = chain(0.5);
    REQUIRE(expected.size() == 11);
    CHECK(expected[1] == 5500ms);
    CHECK(expected[9] > 15h);
    CHECK(expected[9] < 16h);
    CHECK(expected[10] <= 24h);
    // The longest waits give up sooner, after the 9th attempt at 15 h 25 min.
    const auto longest = chain(1.0);
    CHECK(longest.size() == 9);
    CHECK(longest.back() == 10s + 60s + 4min + 20min + 1h + 2h + 4h + 8h);
}

TEST_CASE("a 429's or 503's Retry-After is the least wait, up to an hour", "[unit][webhooks]") {
    // Longer than the schedule: it wins.
    CHECK(retry_delay(2, 0ms, 0.5, 429, 120s) == 120s);
    CHECK(retry_delay(2, 0ms, 0.5, 503, 120s) == 120s);
    // Past an hour: an hour.
    CHECK(retry_delay(2, 0ms, 0.5, 429, 86'400s) == 1h);
    // Shorter than the schedule: the schedule's.
    CHECK(retry_delay(8, 0ms, 0.5, 429, 1s) == retry_delay(8, 0ms, 0.5));
    CHECK(retry_delay(2, 0ms, 0.5, 429, 0s) == 5500ms);
    // Not asked for, or from another status: the schedule's.
    CHECK(retry_delay(2, 0ms, 0.5, 429, std::nullopt) == 5500ms);
    CHECK(retry_delay(2, 0ms, 0.5, 500, 120s) == 5500ms);
    CHECK(retry_delay(2, 0ms, 0.5, 200, 120s) == 5500ms);
    // Past the day: given up.
    CHECK_FALSE(retry_delay(2, 23h + 59min, 0.0, 429, 120s));
    CHECK(retry_delay(2, 23h + 58min, 0.0, 429, 120s) == 120s);
    CHECK_FALSE(retry_delay(2, 24h, 0.0, 429, 1s));
}

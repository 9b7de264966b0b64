#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "common/time/pacific_day.hpp"
#include "common/time/timestamp.hpp"

using namespace streamscope;
using namespace std::chrono;
using time::next_pacific_midnight;
using time::pacific_day;
using time::pacific_offset;

namespace {

system_clock::time_point utc(const std::string& text) {
    const auto t = time::parse_rfc3339(text);
    REQUIRE(t.has_value());
    return *t;
}

std::string text_of(system_clock::time_point t) {
    return time::format_rfc3339(floor<microseconds>(t));
}

} // namespace

TEST_CASE("the quota day turns at Pacific midnight: a second before and at it", "[unit][time]") {
    // Summer: midnight PDT is 07:00 UTC.
    CHECK(pacific_day(utc("2026-07-15T06:59:59Z")) == 2026y / July / 14);
    CHECK(pacific_day(utc("2026-07-15T06:59:59Z") + 999'999'999ns) == 2026y / July / 14);
    CHECK(pacific_day(utc("2026-07-15T07:00:00Z")) == 2026y / July / 15);
    CHECK(text_of(next_pacific_midnight(utc("2026-07-15T06:59:59Z"))) == "2026-07-15T07:00:00Z");
    CHECK(text_of(next_pacific_midnight(utc("2026-07-15T07:00:00Z"))) == "2026-07-16T07:00:00Z");
    // Winter: midnight PST is 08:00 UTC.
    CHECK(pacific_day(utc("2026-12-15T07:59:59Z")) == 2026y / December / 14);
    CHECK(pacific_day(utc("2026-12-15T08:00:00Z")) == 2026y / December / 15);
    CHECK(text_of(next_pacific_midnight(utc("2026-12-15T07:59:59Z"))) == "2026-12-15T08:00:00Z");
    CHECK(text_of(next_pacific_midnight(utc("2026-12-15T08:00:00Z"))) == "2026-12-16T08:00:00Z");
}

TEST_CASE("daylight time begins: the second Sunday of March is a 23-hour quota day",
          "[unit][time]") {
    // 2026-03-08, 02:00 PST = 10:00 UTC.
    CHECK(pacific_offset(utc("2026-03-08T09:59:59Z")) == hours{-8});
    CHECK(pacific_offset(utc("2026-03-08T10:00:00Z")) == hours{-7});
    const auto start = utc("2026-03-08T08:00:00Z");
    CHECK(pacific_day(start - 1s) == 2026y / March / 7);
    CHECK(pacific_day(start) == 2026y / March / 8);
    const auto end = next_pacific_midnight(start);
    CHECK(text_of(end) == "2026-03-09T07:00:00Z");
    CHECK(end - start == 23h);
    CHECK(pacific_day(end - 1s) == 2026y / March / 8);
    CHECK(pacific_day(end) == 2026y / March / 9);
}

TEST_CASE("daylight time ends: the first Sunday of November is a 25-hour quota day",
          "[unit][time]") {
    // 2026-11-01, 02:00 PDT = 09:00 UTC; 01:00-02:00 local happens twice.
    CHECK(pacific_offset(utc("2026-11-01T08:59:59Z")) == hours{-7});
    CHECK(pacific_offset(utc("2026-11-01T09:00:00Z")) == hours{-8});
    const auto start = utc("2026-11-01T07:00:00Z");
    CHECK(pacific_day(start - 1s) == 2026y / October / 31);
    CHECK(pacific_day(start) == 2026y / November / 1);
    CHECK(pacific_day(utc("2026-11-01T09:30:00Z")) == 2026y / November / 1); // the second 01:30
    const auto end = next_pacific_midnight(start);
    CHECK(text_of(end) == "2026-11-02T08:00:00Z");
    CHECK(end - start == 25h);
    CHECK(pacific_day(end - 1s) == 2026y / November / 1);
}

TEST_CASE("the switch days of other years", "[unit][time]") {
    for (const auto& [begins, ends] : {std::pair{"2024-03-10T10:00:00Z", "2024-11-03T09:00:00Z"},
                                       std::pair{"2025-03-09T10:00:00Z", "2025-11-02T09:00:00Z"},
                                       std::pair{"2027-03-14T10:00:00Z", "2027-11-07T09:00:00Z"},
                                       std::pair{"2028-03-12T10:00:00Z", "2028-11-05T09:00:00Z"}}) {
        INFO(begins);
        CHECK(pacific_offset(utc(begins) - 1s) == hours{-8});
        CHECK(pacific_offset(utc(begins)) == hours{-7});
        CHECK(pacific_offset(utc(ends) - 1s) == hours{-7});
        CHECK(pacific_offset(utc(ends)) == hours{-8});
    }
}

TEST_CASE("the quota day at New Year and on a leap day", "[unit][time]") {
    // UTC is in the new year hours before Los Angeles is.
    CHECK(pacific_day(utc("2027-01-01T03:00:00Z")) == 2026y / December / 31);
    CHECK(pacific_day(utc("2027-01-01T07:59:59Z")) == 2026y / December / 31);
    CHECK(pacific_day(utc("2027-01-01T08:00:00Z")) == 2027y / January / 1);
    CHECK(text_of(next_pacific_midnight(utc("2026-12-31T20:00:00Z"))) == "2027-01-01T08:00:00Z");

    CHECK(pacific_day(utc("2028-02-29T07:59:59Z")) == 2028y / February / 28);
    CHECK(pacific_day(utc("2028-02-29T08:00:00Z")) == 2028y / February / 29);
    CHECK(pacific_day(utc("2028-03-01T07:59:59Z")) == 2028y / February / 29);
    CHECK(text_of(next_pacific_midnight(utc("2028-02-29T12:00:00Z"))) == "2028-03-01T08:00:00Z");
    CHECK(text_of(next_pacific_midnight(utc("2028-02-28T12:00:00Z"))) == "2028-02-29T08:00:00Z");
}

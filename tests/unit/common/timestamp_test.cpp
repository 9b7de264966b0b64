#include <catch2/catch.hpp>

#include "common/time/timestamp.hpp"

using namespace streamscope::time;
using namespace std::chrono;

TEST_CASE("RFC 3339 round trip at microsecond precision", "[unit][time]") {
    const timestamp t = sys_days{2026y / 11 / 25} + 10h + 5min + 7s + 123456us;
    CHECK(format_rfc3339(t) == "2026-11-25T10:05:07.123456Z");
    CHECK(parse_rfc3339(format_rfc3339(t)) == t);
    CHECK(format_rfc3339(sys_days{2024y / 2 / 29} + 0us) == "2024-02-29T00:00:00Z");
}

TEST_CASE("RFC 3339 variants Helix and EventSub send", "[unit][time]") {
    const timestamp base = sys_days{2026y / 1 / 2} + 3h + 4min + 5s;
    CHECK(parse_rfc3339("2026-01-02T03:04:05Z") == base);
    CHECK(parse_rfc3339("2026-01-02T03:04:05.5Z") == base + 500ms);
    CHECK(parse_rfc3339("2026-01-02T03:04:05.123456789Z") == base + 123456us);
    CHECK(parse_rfc3339("2026-01-02T05:04:05+02:00") == base);
    CHECK(parse_rfc3339("2026-01-01T22:34:05-04:30") == base);
    CHECK(parse_rfc3339("2026-01-02 03:04:05z") == base);
}

TEST_CASE("malformed or impossible timestamps are rejected", "[unit][time]") {
    for (const char* bad :
         {"", "2026-01-02", "2026-01-02T03:04:05", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
          "2026-01-02T24:00:00Z", "2026-01-02T03:04:60Z", "2026-01-02T03:04:05.Z",
          "2026-01-02T03:04:05.1234567890Z", "2026-01-02T03:04:05+2:00", "2026-01-02T03:04:05Zjunk",
          "2026-01-02X03:04:05Z"}) {
        INFO(bad);
        CHECK_FALSE(parse_rfc3339(bad).has_value());
    }
}

TEST_CASE("a date is written as PostgreSQL reads one", "[unit][time]") {
    CHECK(format_date(2026y / December / 7d) == "2026-12-07");
    CHECK(format_date(2024y / February / 29d) == "2024-02-29");
    CHECK(format_date(999y / January / 1d) == "0999-01-01");
}

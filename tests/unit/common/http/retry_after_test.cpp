#include <chrono>

#include <catch2/catch.hpp>

#include "common/http/retry_after.hpp"

using std::chrono::seconds;
using streamscope::http::retry_after_wait;

namespace {

// 2027-01-15T08:00:00Z.
const auto wall = std::chrono::system_clock::time_point(seconds(1'800'000'000));

} // namespace

TEST_CASE("Retry-After: delay-seconds or an HTTP date, as a wait", "[unit][http]") {
    CHECK(retry_after_wait("30", wall) == seconds(30));
    CHECK(retry_after_wait(" 2\t", wall) == seconds(2));
    CHECK(retry_after_wait("0", wall) == seconds(0));
    CHECK(retry_after_wait("86400", wall) == seconds(86400));
    CHECK(retry_after_wait("999999999999", wall) == seconds(365 * 86400));
    CHECK(retry_after_wait("99999999999999999999999999", wall) == seconds(365 * 86400));
    CHECK(retry_after_wait("Fri, 15 Jan 2027 08:00:42 GMT", wall) == seconds(42));
    CHECK(retry_after_wait("Fri, 15 Jan 2027 07:00:00 GMT", wall) == seconds(0));
    CHECK(retry_after_wait("Sat, 15 Jan 2050 08:00:00 GMT", wall) == seconds(365 * 86400));
    CHECK_FALSE(retry_after_wait("soon", wall));
    CHECK_FALSE(retry_after_wait("", wall));
    CHECK_FALSE(retry_after_wait("-5", wall));
    CHECK_FALSE(retry_after_wait("+5", wall));
    CHECK_FALSE(retry_after_wait("5 s", wall));
    CHECK_FALSE(retry_after_wait("1.5", wall));
    CHECK_FALSE(retry_after_wait("Fri, 15 Jan 2027 08:00:42 GMT trailing", wall));
}

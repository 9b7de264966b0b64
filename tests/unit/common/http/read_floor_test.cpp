#include <catch2/catch.hpp>

#include "common/http/read_floor.hpp"

using streamscope::http::read_floor;
using namespace std::chrono_literals;

TEST_CASE("a client earns time to read at the floor's rate, after a grace", "[unit][http]") {
    const read_floor floor{.bytes_per_second = 1000, .grace = 10s};
    // 2,000 bytes at 1,000 B/s: 2 s, plus the grace.
    CHECK(floor.allowance(2000, 0s, 30s) == 12s);
    CHECK(floor.allowance(2000, 5s, 30s) == 7s);
    // At most the write timeout, however much the client has earned.
    CHECK(floor.allowance(1'000'000, 0s, 30s) == 30s);
    // Behind: nothing left, at once.
    CHECK(floor.allowance(2000, 12s, 30s) == 0s);
    CHECK(floor.allowance(2000, 20s, 30s) == 0s);
}

TEST_CASE("without a floor a write may take the whole write timeout", "[unit][http]") {
    const read_floor none{};
    CHECK(none.allowance(1, 1h, 30s) == 30s);
}

TEST_CASE("an export of many gigabytes does not overflow the floor's sums", "[unit][http]") {
    const read_floor floor{.bytes_per_second = 16 * 1024, .grace = 10s};
    const std::uint64_t forty_gb = 40ull << 30;
    // 40 GiB at 16 KiB/s is about 30 days: far more than a write may wait.
    CHECK(floor.allowance(forty_gb, 24h, 30s) == 30s);
}

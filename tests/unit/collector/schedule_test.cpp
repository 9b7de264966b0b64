#include <catch2/catch.hpp>

#include "collector/daemon/schedule.hpp"

using namespace std::chrono;
using streamscope::collector::next_boundary;

TEST_CASE("sweeps start on multiples of the interval", "[unit][schedule]") {
    const system_clock::time_point t{seconds(1'800'000'123)};
    const auto five = milliseconds(minutes(5));
    const auto next = next_boundary(t, five);
    CHECK(duration_cast<milliseconds>(next.time_since_epoch()) % five == milliseconds(0));
    CHECK(next > t);
    CHECK(next - t <= five);
    // Exactly on a boundary: the next one, never the same instant twice.
    CHECK(next_boundary(next, five) == next + five);
    // Decimal minutes: 0.1 min = 6 s.
    const auto six = milliseconds(6000);
    CHECK(next_boundary(system_clock::time_point{seconds(13)}, six) ==
          system_clock::time_point{seconds(18)});
}

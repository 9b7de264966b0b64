#include <algorithm>
#include <chrono>
#include <unordered_set>

#include <catch2/catch.hpp>

#include "tests/platform_mock/world.hpp"

using namespace streamscope::platform_mock;
using streamscope::time::timestamp;

namespace {

const timestamp start = std::chrono::sys_days{std::chrono::year{2026} / 11 / 26};

world_options churning(world_order order) {
    world_options o;
    o.order = order;
    o.streams = 600;
    o.channels = 1500;
    o.games = 50;
    o.seed = 11;
    o.drift = {5, true};
    o.end = {2, true};
    o.start = {2, true};
    return o;
}

bool listed_in_order(const world& w) {
    const auto list = w.ranking();
    return std::is_sorted(list.begin(), list.end(), ranks_before);
}

bool oldest_first(const world& w) {
    const auto list = w.ranking();
    return std::is_sorted(list.begin(), list.end(), [&](const auto& a, const auto& b) {
        const live_stream& x = w.stream(a.slot);
        const live_stream& y = w.stream(b.slot);
        return x.started_ns != y.started_ns ? x.started_ns < y.started_ns : x.id < y.id;
    });
}

} // namespace

TEST_CASE("a world by start lists its streams oldest first, also under churn",
          "[unit][platform_mock]") {
    world w(churning(world_order::by_start), start);
    REQUIRE(w.ranking().size() == 600);
    CHECK(oldest_first(w));
    for (int t = 1; t <= 50; ++t) {
        w.tick(start + std::chrono::seconds(t));
        REQUIRE(listed_in_order(w));
        REQUIRE(oldest_first(w));
    }
}

TEST_CASE("started_ns is the instant started_at names", "[unit][platform_mock]") {
    world w(churning(world_order::by_start), start);
    int with_fraction = 0;
    for (const auto& r : w.ranking()) {
        const live_stream& s = w.stream(r.slot);
        const auto parsed = streamscope::time::parse_rfc3339(s.started_at);
        REQUIRE(parsed);
        const auto micros = parsed->time_since_epoch().count();
        // parse_rfc3339 keeps microseconds: the nanoseconds beyond them are dropped.
        CHECK(s.started_ns / 1000 == micros);
        with_fraction += s.started_at.find('.') != std::string::npos ? 1 : 0;
    }
    CHECK(with_fraction > 0);
}

TEST_CASE("by start, drift changes viewer counts and moves nothing; new streams come last",
          "[unit][platform_mock]") {
    auto options = churning(world_order::by_start);
    options.end = {0, false};
    options.start = {5, false};
    world w(options, start);
    std::vector<std::uint64_t> before;
    std::int64_t viewers_before = 0;
    for (const auto& r : w.ranking()) {
        before.push_back(r.stream_id);
        viewers_before += w.stream(r.slot).viewer_count;
    }
    w.tick(start + std::chrono::seconds(1));
    const auto after = w.ranking();
    REQUIRE(after.size() == before.size() + 5);
    std::int64_t viewers_after = 0;
    for (std::size_t i = 0; i < before.size(); ++i) {
        REQUIRE(after[i].stream_id == before[i]);
        viewers_after += w.stream(after[i].slot).viewer_count;
    }
    CHECK(viewers_after != viewers_before);
    for (std::size_t i = before.size(); i < after.size(); ++i) {
        CHECK(w.stream(after[i].slot).since_tick == 1);
    }
}

TEST_CASE("a world by viewers stays ranked by viewers under churn", "[unit][platform_mock]") {
    world w(churning(world_order::by_viewers), start);
    for (int t = 1; t <= 50; ++t) {
        w.tick(start + std::chrono::seconds(t));
        const auto list = w.ranking();
        REQUIRE(listed_in_order(w));
        for (const auto& r : list) {
            REQUIRE(r.key == w.stream(r.slot).viewer_count);
        }
        // Every live stream once, and each its channel's one live slot.
        std::unordered_set<std::uint32_t> slots;
        for (const auto& r : list) {
            REQUIRE(slots.insert(r.slot).second);
            REQUIRE(w.channel_at(w.stream(r.slot).channel).live_slot == r.slot);
        }
    }
}

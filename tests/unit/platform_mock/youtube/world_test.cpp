#include <map>

#include <catch2/catch.hpp>

#include "tests/platform_mock/youtube/world.hpp"

using namespace streamscope;
using namespace streamscope::platform_mock::youtube;
using namespace std::chrono_literals;

namespace {

const time::timestamp start = *time::parse_rfc3339("2026-03-01T12:00:00Z");

bool id_characters(std::string_view id) {
    return std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
}

std::size_t live_count(const world& w) {
    std::size_t n = 0;
    for (const channel& c : w.channels()) {
        n += c.current != channel::no_broadcast &&
             w.video_at(c.current).state == broadcast_state::live;
    }
    return n;
}

} // namespace

TEST_CASE("YouTube's ids: UC + 22 characters, 11-character videos, @handles",
          "[unit][mock][youtube]") {
    const world w({.channels = 300, .live_fraction = 0.05, .seed = 3}, start);
    for (const channel& c : w.channels()) {
        CHECK(c.id.size() == 24);
        CHECK(c.id.starts_with("UC"));
        CHECK(id_characters(c.id));
        CHECK(c.handle.starts_with("@"));
        CHECK(w.find_channel(c.id) == &c);
        CHECK(w.find_channel_by_handle(c.handle) == &c);
    }
    for (const video& v : w.videos()) {
        CHECK(v.id.size() == 11);
        CHECK(id_characters(v.id));
    }
}

TEST_CASE("About live_fraction of the channels are live, at the start and a week later",
          "[unit][mock][youtube]") {
    world w({.channels = 2000, .live_fraction = 0.05, .seed = 11}, start);
    CHECK(live_count(w) > 60);
    CHECK(live_count(w) < 140);
    w.advance_to(start + 7 * 24h);
    CHECK(live_count(w) > 60);
    CHECK(live_count(w) < 140);
}

TEST_CASE("Broadcasts go upcoming -> live -> ended, and never back", "[unit][mock][youtube]") {
    world w({.channels = 200, .live_fraction = 0.3, .seed = 5}, start);
    std::map<std::uint32_t, broadcast_state> last;
    std::size_t started = 0;
    std::size_t ended = 0;
    for (auto t = start; t < start + 3 * 24h; t += 10min) {
        w.advance_to(t);
        for (std::uint32_t i = 0; i < w.videos().size(); ++i) {
            const video& v = w.video_at(i);
            const auto before = last.find(i);
            if (before != last.end() && before->second != v.state) {
                const bool forward =
                    (before->second == broadcast_state::upcoming &&
                     v.state == broadcast_state::live) ||
                    (before->second == broadcast_state::live && v.state == broadcast_state::ended);
                CHECK(forward);
                started += v.state == broadcast_state::live;
                ended += v.state == broadcast_state::ended;
            }
            last[i] = v.state;
            if (v.state == broadcast_state::live || v.state == broadcast_state::ended) {
                CHECK(v.actual_start <= t);
                CHECK(v.published <= v.actual_start);
            }
            if (v.state == broadcast_state::ended) {
                CHECK(v.actual_start < v.actual_end);
                CHECK(v.actual_end <= t);
            }
        }
    }
    CHECK(started > 20);
    CHECK(ended > 20);
    for (const channel& c : w.channels()) {
        CHECK(std::is_sorted(c.uploads.begin(), c.uploads.end(), [&](auto a, auto b) {
            return w.video_at(a).published < w.video_at(b).published;
        }));
    }
}

TEST_CASE("The admin pins a channel live, ended or upcoming, and hides its count",
          "[unit][mock][youtube]") {
    world w({.channels = 100, .live_fraction = 0.05, .seed = 9}, start);
    std::uint32_t index = 0;
    while (w.channel_at(index).terminated || w.channel_at(index).current != channel::no_broadcast) {
        ++index;
    }
    w.advance_to(start + 1min);
    w.set_state(index, pinned_state::live);
    const std::uint32_t broadcast = w.channel_at(index).current;
    REQUIRE(broadcast != channel::no_broadcast);
    CHECK(w.video_at(broadcast).state == broadcast_state::live);
    CHECK(w.video_at(broadcast).actual_start == start + 1min);

    w.advance_to(start + 2 * 24h); // pinned: the simulation leaves it live
    CHECK(w.video_at(broadcast).state == broadcast_state::live);
    w.channel_at(index).viewers_hidden = true;
    CHECK_FALSE(w.concurrent_viewers(w.video_at(broadcast), w.now()));

    w.set_state(index, pinned_state::ended);
    CHECK(w.video_at(broadcast).state == broadcast_state::ended);
    CHECK(w.video_at(broadcast).actual_end == start + 2 * 24h);
    CHECK(w.channel_at(index).current == channel::no_broadcast);

    w.set_state(index, pinned_state::upcoming);
    const std::uint32_t next = w.channel_at(index).current;
    REQUIRE(next != channel::no_broadcast);
    CHECK(w.video_at(next).state == broadcast_state::upcoming);
    CHECK(w.video_at(next).scheduled_start > w.now());
    CHECK(w.channel_at(index).uploads.back() == next);
}

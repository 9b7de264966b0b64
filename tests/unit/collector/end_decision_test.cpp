#include <catch2/catch.hpp>

#include "collector/sweep/end_decision.hpp"

using namespace streamscope::collector;
using streamscope::model::stream_observation;

namespace {
const streamscope::time::timestamp seen_at{std::chrono::seconds(1'800'000'000)};

stream_observation stream(std::string id, std::string user) {
    stream_observation s;
    s.platform_stream_id = std::move(id);
    s.platform_user_id = std::move(user);
    return s;
}

open_broadcast open(std::string id, std::string user, bool in_latest = true) {
    return {std::move(id), std::move(user), seen_at, in_latest};
}
} // namespace

TEST_CASE("channels missing from the pages are looked up, once each", "[unit][sweep]") {
    stream_set seen;
    seen.add(stream("s1", "u1"));
    const std::vector<open_broadcast> broadcasts{open("s1", "u1"), open("s2", "u2"),
                                                 open("s3", "u2"), open("s4", "u4")};
    CHECK(channels_to_look_up(broadcasts, seen) == std::vector<std::string>{"u2", "u4"});
}

TEST_CASE("the look-up decides", "[unit][sweep]") {
    stream_set seen;
    seen.add(stream("s1", "u1"));
    lookup_answers answers;
    answers.asked = {"u2", "u3", "u4"};
    answers.live.emplace("u2", stream("s2", "u2"));    // missed by paging, still live
    answers.live.emplace("u4", stream("s4new", "u4")); // restarted: a new broadcast
    const std::vector<open_broadcast> broadcasts{open("s1", "u1"), open("s2", "u2"),
                                                 open("s3", "u3"), open("s4", "u4")};
    const auto d = decide_ends(broadcasts, seen, answers, true, true);
    REQUIRE(d.recovered.size() == 2);
    CHECK(d.recovered[0].platform_stream_id == "s2");
    CHECK(d.recovered[1].platform_stream_id == "s4new");
    REQUIRE(d.ended.size() == 2);
    CHECK(d.ended[0].platform_stream_id == "s3"); // offline
    CHECK(d.ended[1].platform_stream_id == "s4"); // replaced
    CHECK(d.ended[0].last_seen_at == seen_at);
    CHECK(d.undecided == 0);
}

TEST_CASE("a channel live with a new broadcast on the pages ends the old one", "[unit][sweep]") {
    stream_set seen;
    seen.add(stream("s9", "u1"));
    const auto d = decide_ends({open("s1", "u1")}, seen, {}, true, true);
    REQUIRE(d.ended.size() == 1);
    CHECK(d.ended[0].platform_stream_id == "s1");
}

TEST_CASE("without a look-up, two complete misses in a row end a broadcast", "[unit][sweep]") {
    const stream_set seen;
    const lookup_answers none;
    SECTION("missed once: not yet") {
        const auto d = decide_ends({open("s1", "u1", true)}, seen, none, true, true);
        CHECK(d.ended.empty());
        CHECK(d.undecided == 1);
    }
    SECTION("missed by the last complete sweep too: ended") {
        const auto d = decide_ends({open("s1", "u1", false)}, seen, none, true, true);
        CHECK(d.ended.size() == 1);
    }
    SECTION("the last sweep was partial: its miss does not count") {
        const auto d = decide_ends({open("s1", "u1", false)}, seen, none, false, true);
        CHECK(d.ended.empty());
    }
    SECTION("this sweep is partial: its miss does not count") {
        const auto d = decide_ends({open("s1", "u1", false)}, seen, none, true, false);
        CHECK(d.ended.empty());
    }
}

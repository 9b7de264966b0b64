#include <catch2/catch.hpp>

#include "common/db/stream_state_key.hpp"
#include "common/time/timestamp.hpp"

using namespace streamscope;

namespace {

model::stream_observation sample() {
    model::stream_observation s;
    s.platform_stream_id = "40000000001";
    s.platform_user_id = "12345";
    s.login = "somebody";
    s.display_name = "Somebody";
    s.platform_game_id = "509658";
    s.game_name = "Just Chatting";
    s.title = "Morning stream ☕";
    s.tags = {"English", "Chill"};
    s.viewer_count = 1234;
    s.started_at = time::timestamp{std::chrono::seconds{1'795'000'000}};
    s.language = "en";
    s.thumbnail_url = "https://example.invalid/live_user_somebody-{width}x{height}.jpg";
    s.is_mature = false;
    return s;
}

} // namespace

TEST_CASE("the state key ignores the viewer count and the stream id", "[state-key]") {
    auto other = sample();
    other.viewer_count = 99;
    CHECK(db::stream_state_key(other) == db::stream_state_key(sample()));
    other.viewer_count = std::nullopt;
    other.platform_stream_id = "elsewhere";
    CHECK(db::stream_state_key(other) == db::stream_state_key(sample()));
}

TEST_CASE("the state key changes with every field the write path stores", "[state-key]") {
    using change = void (*)(model::stream_observation&);
    const std::vector<std::pair<const char*, change>> changes = {
        {"user id", [](auto& s) { s.platform_user_id = "12346"; }},
        {"login", [](auto& s) { s.login = "somebody2"; }},
        {"display name", [](auto& s) { s.display_name = "SomeBody"; }},
        {"game id", [](auto& s) { s.platform_game_id = ""; }},
        {"game name", [](auto& s) { s.game_name = "Just Chatting!"; }},
        {"title", [](auto& s) { s.title = "Morning stream"; }},
        {"tag", [](auto& s) { s.tags[1] = "chill"; }},
        {"one tag fewer", [](auto& s) { s.tags.pop_back(); }},
        {"tags joined", [](auto& s) { s.tags = {"EnglishChill"}; }},
        {"start", [](auto& s) { s.started_at += std::chrono::microseconds{1}; }},
        {"language", [](auto& s) { s.language = "de"; }},
        {"thumbnail", [](auto& s) { s.thumbnail_url += "?"; }},
        {"mature", [](auto& s) { s.is_mature = true; }},
        // Text moved from one field to the next.
        {"boundary",
         [](auto& s) {
             s.login = "somebod";
             s.display_name = "ySomebody";
         }},
    };
    for (const auto& [what, apply] : changes) {
        INFO(what);
        auto s = sample();
        apply(s);
        CHECK(db::stream_state_key(s) != db::stream_state_key(sample()));
    }
}

TEST_CASE("the state key is stable: stored keys stay comparable across builds", "[state-key]") {
    // A different value here means every stored broadcast takes the write path's full (slow)
    // path once after an upgrade: change the function only on purpose.
    CHECK(db::stream_state_key(sample()) == -1308034992008775234);
}

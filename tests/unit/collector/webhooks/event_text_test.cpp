#include <string>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "collector/webhooks/event_text.hpp"
#include "common/text/utf8.hpp"
#include "tests/unit/collector/webhooks/sample_events.hpp"

using namespace streamscope::webhooks;
using namespace streamscope::testing;
namespace json = boost::json;

namespace {

std::string fact_of(const event_text& t, const std::string& name) {
    for (const auto& f : t.facts) {
        if (f.name == name) {
            return f.value;
        }
    }
    return "(none)";
}

} // namespace

TEST_CASE("stream.live says who, where, what and how many", "[unit][webhooks]") {
    const event_text t = describe(stream_event("stream.live"));
    CHECK(t.sentence() == "xQc is live on Twitch: REACT ANDY (Just Chatting), 45,210 viewers");
    CHECK(t.headline() == "xQc is live on Twitch");
    CHECK(t.subject == "xQc");
    CHECK(t.url == "https://www.twitch.tv/xqc");
    CHECK(t.platform == "Twitch");
    CHECK(fact_of(t, "Title") == "REACT ANDY");
    CHECK(fact_of(t, "Game") == "Just Chatting");
    CHECK(fact_of(t, "Viewers") == "45,210");
    CHECK(fact_of(t, "Started") == "2026-12-07 17:48 UTC");

    auto hidden = stream_item();
    hidden["viewer_count"] = nullptr;
    hidden["platform"] = "youtube";
    hidden["game_name"] = "";
    auto youtube = stream_event("stream.live", hidden);
    youtube["platform"] = "youtube";
    const event_text y = describe(youtube);
    CHECK(y.sentence() == "xQc is live on YouTube: REACT ANDY");
    CHECK(fact_of(y, "Viewers") == "hidden");
    CHECK(fact_of(y, "Game") == "(none)");

    auto one = stream_item();
    one["viewer_count"] = 1;
    one["title"] = "";
    one["display_name"] = "";
    CHECK(describe(stream_event("stream.live", one)).sentence() ==
          "xqc is live on Twitch: Just Chatting, 1 viewer");
    auto big = stream_item();
    big["viewer_count"] = 1'234'567;
    CHECK(describe(stream_event("stream.live", big)).detail ==
          ": REACT ANDY (Just Chatting), 1.2M viewers");
}

TEST_CASE("stream.ended says how long it lasted", "[unit][webhooks]") {
    auto event = stream_event("stream.ended");
    event["data"].as_object()["ended_at"] = "2026-12-07T23:00:30Z";
    const event_text t = describe(event);
    CHECK(t.sentence() ==
          "xQc ended the stream on Twitch after 5 h 12 min: REACT ANDY (Just Chatting)");
    CHECK(fact_of(t, "Duration") == "5 h 12 min");
    CHECK(fact_of(t, "Ended") == "2026-12-07 23:00 UTC");
    event["data"].as_object().erase("ended_at");
    CHECK(describe(event).sentence() ==
          "xQc ended the stream on Twitch: REACT ANDY (Just Chatting)");
}

TEST_CASE("stream.changed says what changed", "[unit][webhooks]") {
    const auto changed = [](const char* previous) {
        auto event = stream_event("stream.changed");
        event["data"].as_object()["previous"] = json::parse(previous);
        return describe(event);
    };
    const event_text game = changed(
        R"({"title": "REACT ANDY", "game_id": "32982", "game_name": "Grand Theft Auto V"})");
    CHECK(game.sentence() == "xQc switched to Just Chatting on Twitch (from Grand Theft Auto V)");
    CHECK(fact_of(game, "Previous game") == "Grand Theft Auto V");
    CHECK(fact_of(game, "Previous title") == "(none)");

    const event_text title =
        changed(R"({"title": "old title", "game_id": "509658", "game_name": "Just Chatting"})");
    CHECK(title.sentence() == "xQc changed the title on Twitch: REACT ANDY");
    CHECK(fact_of(title, "Previous title") == "old title");

    const event_text both = changed(R"({"title": "old", "game_id": "1", "game_name": "Chess"})");
    CHECK(both.sentence() ==
          "xQc changed the title and game on Twitch: REACT ANDY (Just Chatting)");

    const event_text from_none =
        changed(R"({"title": "REACT ANDY", "game_id": "", "game_name": ""})");
    // A renamed game is the same game: its id decides.
    const event_text renamed =
        changed(R"({"title": "REACT ANDY", "game_id": "509658", "game_name": "Talk Shows"})");
    CHECK(renamed.sentence() == "xQc changed the stream on Twitch: REACT ANDY (Just Chatting)");

    // The collector's own word on what changed wins.
    auto told = stream_event("stream.changed");
    told["data"].as_object()["previous"] =
        json::parse(R"({"title": "old", "game_id": "1", "game_name": "Chess"})");
    told["data"].as_object()["changed"] = json::parse(R"(["title"])");
    CHECK(describe(told).sentence() == "xQc changed the title on Twitch: REACT ANDY");

    CHECK(from_none.sentence() == "xQc switched to Just Chatting on Twitch");
    CHECK(fact_of(from_none, "Previous game") == "none");
}

TEST_CASE("top lists, thresholds and trending games", "[unit][webhooks]") {
    auto entered = stream_event("top.entered");
    entered["data"].as_object()["list"] =
        json::parse(R"({"scope": "game", "game_id": "509658", "game_name": "Just Chatting",
                        "size": 10})");
    entered["data"].as_object()["rank"] = 3;
    const event_text in = describe(entered);
    CHECK(in.sentence() == "xQc entered the top 10 of Just Chatting on Twitch at #3: REACT ANDY "
                           "(Just Chatting), 45,210 viewers");
    CHECK(fact_of(in, "Rank") == "#3");

    auto left = stream_event("top.left");
    left["data"].as_object()["list"] =
        json::parse(R"({"scope": "platform", "game_id": null, "game_name": null, "size": 1000})");
    left["data"].as_object()["previous_rank"] = 1000;
    CHECK(describe(left).sentence() == "xQc left the top 1,000 on Twitch (was #1,000)");

    auto ludwig = stream_item();
    ludwig["display_name"] = "Ludwig";
    ludwig["viewer_count"] = 51'234;
    auto crossed = stream_event("viewers.crossed", ludwig);
    crossed["data"].as_object()["threshold"] = 50'000;
    crossed["data"].as_object()["previous_viewer_count"] = 48'000;
    const event_text up = describe(crossed);
    CHECK(up.headline() == "Ludwig passed 50,000 viewers on Twitch");
    CHECK(fact_of(up, "Previous viewers") == "48,000");
    CHECK(fact_of(up, "Threshold") == "50,000");
    crossed["data"].as_object()["stream"].as_object()["viewer_count"] = 49'000;
    CHECK(describe(crossed).headline() == "Ludwig fell below 50,000 viewers on Twitch");

    const event_text trending = describe(
        event_of("game.trending",
                 json::parse(R"({"game": {"game_id": "1", "game_name": "Chess"}, "viewers": 45210,
                        "previous_viewers": 25116, "growth": 1.8})")
                     .as_object()));
    CHECK(trending.sentence() == "Chess is trending on Twitch: 45,210 viewers, +80% from 25,116");
    CHECK(trending.url.empty());
    CHECK(fact_of(trending, "Growth") == "+80%");
}

TEST_CASE("missing fields and unknown types never throw", "[unit][webhooks]") {
    CHECK(describe(json::object{}).sentence() == "Streamscope event (no type)");
    CHECK(describe(event_of("stream.unknown", {})).sentence() == "Twitch event stream.unknown");
    CHECK(describe(event_of("stream.live", {})).sentence() == "A channel is live on Twitch");
    CHECK(describe(event_of("game.trending", {})).sentence() == "A game is trending on Twitch");
    auto odd = stream_item();
    odd["viewer_count"] = "many";
    odd["title"] = 42;
    odd["stream_url"] = "javascript:alert(1)";
    const event_text t = describe(stream_event("stream.live", odd));
    CHECK(t.sentence() == "xQc is live on Twitch: Just Chatting");
    CHECK(t.url.empty());
    auto no_platform = stream_event("stream.live");
    no_platform.erase("platform");
    CHECK(describe(no_platform).headline() == "xQc is live on Twitch"); // from the stream item
    no_platform["data"].as_object()["stream"].as_object().erase("platform");
    CHECK(describe(no_platform).headline() == "xQc is live");
}

TEST_CASE("nasty titles end on one line, valid and bounded", "[unit][webhooks]") {
    auto nasty = stream_item();
    nasty["title"] = "line one\r\nSubject: injected\t\"quoted\" <b>&amp;</b> 🎮 \xEF\xBF\xBD";
    nasty["display_name"] = "x\nQ\rc";
    const event_text t = describe(stream_event("stream.live", nasty));
    CHECK(t.sentence() == "x Q c is live on Twitch: line one  Subject: injected \"quoted\" "
                          "<b>&amp;</b> 🎮 \xEF\xBF\xBD (Just Chatting), 45,210 viewers");

    nasty["title"] = std::string(10'000, 'A') + "\n";
    nasty["display_name"] = std::string(500, 'n');
    nasty["game_name"] = std::string(500, 'g');
    const event_text huge = describe(stream_event("stream.live", nasty));
    CHECK(streamscope::text::utf16_length(fact_of(huge, "Title")) == longest_title);
    CHECK(streamscope::text::utf16_length(huge.subject) == longest_name);
    CHECK(huge.sentence().size() < 1000);
    CHECK(huge.sentence().find('\n') == std::string::npos);
}

#include <chrono>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "collector/platform/json_fields.hpp"
#include "collector/youtube/categories.hpp"
#include "collector/youtube/discovery.hpp"

namespace json = boost::json;
using namespace streamscope;
using namespace std::chrono_literals;

TEST_CASE("read_search keeps the video results with their channel", "[unit][youtube]") {
    const auto hits = youtube::read_search(json::parse(R"({"items": [
        {"id": {"kind": "youtube#video", "videoId": "dQw4w9WgXcQ"},
         "snippet": {"channelId": "UCuAXFkgsw1L7xaCfnd5JJOw", "title": "a &amp; b"}},
        {"id": {"kind": "youtube#channel", "channelId": "UCuAXFkgsw1L7xaCfnd5JJOw"},
         "snippet": {"channelId": "UCuAXFkgsw1L7xaCfnd5JJOw"}},
        {"id": {"kind": "youtube#video", "videoId": "not a video id"},
         "snippet": {"channelId": "UCuAXFkgsw1L7xaCfnd5JJOw"}},
        {"id": {"kind": "youtube#video", "videoId": "abcdefghijk"},
         "snippet": {"channelId": "not a channel"}},
        {"id": {"kind": "youtube#video", "videoId": "abcdefghijk"}},
        "not a record",
        {"id": {"kind": "youtube#video", "videoId": "ABCDEFGHIJ_"},
         "snippet": {"channelId": "UC0123456789abcdefghij-_"}}]})"));
    REQUIRE(hits.size() == 2);
    CHECK(hits[0].video_id == "dQw4w9WgXcQ");
    CHECK(hits[0].channel_id == "UCuAXFkgsw1L7xaCfnd5JJOw");
    CHECK(hits[1].video_id == "ABCDEFGHIJ_");
    CHECK(hits[1].channel_id == "UC0123456789abcdefghij-_");
}

TEST_CASE("read_search: an answer without items is malformed", "[unit][youtube]") {
    CHECK_THROWS_AS(youtube::read_search(json::parse(R"({"kind": "x"})")),
                    collector::malformed_field);
    CHECK_THROWS_AS(youtube::read_search(json::parse(R"([])")), collector::malformed_field);
    CHECK(youtube::read_search(json::parse(R"({"items": []})")).empty());
}

TEST_CASE("search_spacing spreads the day's calls with a tenth to spare", "[unit][youtube]") {
    CHECK(youtube::search_spacing(100) == 960s);   // 86,400 s / 90 calls
    CHECK(youtube::search_spacing(10'000) == 60s); // never more than one a minute
    CHECK(youtube::search_spacing(0) == 96'000s);  // at least one a day counts as one
    CHECK(youtube::search_spacing(1) == 96'000s);
}

TEST_CASE("category_name names YouTube's assignable categories only", "[unit][youtube]") {
    CHECK(youtube::category_name("20") == "Gaming");
    CHECK(youtube::category_name("10") == "Music");
    CHECK(youtube::category_name("29") == "Nonprofits & Activism");
    CHECK(youtube::category_name("18").empty()); // Short Movies: not assignable
    CHECK(youtube::category_name("").empty());
    CHECK(youtube::category_name("200").empty());
}

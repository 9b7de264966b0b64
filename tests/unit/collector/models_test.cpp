#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "collector/twitch/models.hpp"

namespace json = boost::json;
using namespace streamscope::twitch;

TEST_CASE("a Get Streams page maps onto observations", "[unit][helix]") {
    const auto body = json::parse(R"({
      "data": [{
        "id": "40952121085", "user_id": "101051819", "user_login": "afro",
        "user_name": "Afro\u00e9 \ud83c\udfae", "game_id": "32982", "game_name": "Grand Theft Auto V",
        "type": "live", "title": "Title with \"quotes\", \\ and \t tab",
        "tags": ["English", "Español"], "viewer_count": 1490,
        "started_at": "2021-03-31T20:57:26.123456789Z", "language": "en",
        "thumbnail_url": "https://x/live_user_afro-{width}x{height}.jpg",
        "tag_ids": [], "is_mature": false, "some_future_field": {"x": 1}
      }, {
        "viewer_count": 3, "user_name": "b", "user_login": "b", "user_id": "2", "id": "9",
        "game_id": "", "game_name": "", "title": "", "tags": null,
        "started_at": "2021-03-31T20:57:26Z", "language": "other", "thumbnail_url": ""
      }],
      "pagination": {"cursor": "eyJiIjpudWxsLCJhIjp7Ik+/="}
    })");
    const auto page = json::value_to<streams_page>(body);
    REQUIRE(page.streams.size() == 2);
    const auto& s = page.streams[0];
    CHECK(s.platform_stream_id == "40952121085");
    CHECK(s.platform_user_id == "101051819");
    CHECK(s.display_name == "Afro\xC3\xA9 \xF0\x9F\x8E\xAE");
    CHECK(s.title == "Title with \"quotes\", \\ and \t tab");
    CHECK(s.tags == std::vector<std::string>{"English", "Español"});
    CHECK(s.viewer_count == 1490);
    CHECK(streamscope::time::format_rfc3339(s.started_at) == "2021-03-31T20:57:26.123456Z");
    CHECK(page.streams[1].tags.empty());
    CHECK(page.streams[1].platform_game_id.empty());
    CHECK(page.cursor == "eyJiIjpudWxsLCJhIjp7Ik+/=");
}

TEST_CASE("the end of the list: empty or missing pagination", "[unit][helix]") {
    CHECK_FALSE(json::value_to<streams_page>(json::parse(R"({"data":[],"pagination":{}})"))
                    .cursor.has_value());
    CHECK_FALSE(json::value_to<streams_page>(json::parse(R"({"data":[]})")).cursor.has_value());
}

TEST_CASE("a page without the fields we need is rejected", "[unit][helix]") {
    CHECK_THROWS(json::value_to<streams_page>(json::parse(R"({"pagination":{}})")));
    CHECK_THROWS(json::value_to<streams_page>(json::parse(
        R"({"data":[{"id":"1","user_login":"a","user_name":"a","viewer_count":1,
            "started_at":"2021-03-31T20:57:26Z"}]})"))); // no user_id
    CHECK_THROWS(json::value_to<streams_page>(json::parse(
        R"({"data":[{"id":"1","user_id":"1","user_login":"a","user_name":"a",
            "viewer_count":"many","started_at":"2021-03-31T20:57:26Z"}]})")));
    CHECK_THROWS(json::value_to<streams_page>(json::parse(
        R"({"data":[{"id":"1","user_id":"1","user_login":"a","user_name":"a",
            "viewer_count":1,"started_at":"yesterday"}]})")));
}

TEST_CASE("users, games, followers and tokens map", "[unit][helix]") {
    const auto users = json::value_to<users_page>(json::parse(R"({"data":[{
        "id":"141981764","login":"twitchdev","display_name":"TwitchDev","type":"",
        "broadcaster_type":"partner","description":"Supporting developers",
        "profile_image_url":"https://p.png","offline_image_url":"","view_count":0,
        "created_at":"2016-12-14T20:32:28Z"}]})"));
    REQUIRE(users.users.size() == 1);
    CHECK(users.users[0].profile.platform_user_id == "141981764");
    CHECK(users.users[0].profile.broadcaster_type == "partner");
    CHECK(users.users[0].profile.account_created_at.has_value());

    const auto games = json::value_to<games_page>(json::parse(
        R"({"data":[{"id":"33214","name":"Fortnite","box_art_url":"https://b-{width}x{height}.jpg","igdb_id":""}]})"));
    REQUIRE(games.games.size() == 1);
    CHECK(games.games[0].name == "Fortnite");

    CHECK(json::value_to<followers_total>(json::parse(R"({"total":8,"data":[],"pagination":{}})"))
              .total == 8);
    CHECK(json::value_to<app_token>(
              json::parse(R"({"access_token":"abc","expires_in":5011271,"token_type":"bearer"})"))
              .access_token == "abc");
    CHECK(json::value_to<error_body>(
              json::parse(R"({"error":"Bad Request","status":400,"message":"invalid cursor"})"))
              .message == "invalid cursor");
}

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "collector/platform/json_fields.hpp"
#include "collector/twitch/models.hpp"

namespace json = boost::json;
using namespace streamscope::twitch;
using streamscope::collector::describe_error;

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
    const auto page = read_streams_page(body);
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
    CHECK_FALSE(
        read_streams_page(json::parse(R"({"data":[],"pagination":{}})")).cursor.has_value());
    CHECK_FALSE(read_streams_page(json::parse(R"({"data":[]})")).cursor.has_value());
}

TEST_CASE("a page without data is rejected", "[unit][helix]") {
    CHECK_THROWS(read_streams_page(json::parse(R"({"pagination":{}})")));
    CHECK_THROWS(read_streams_page(json::parse(R"({"data":{},"pagination":{}})")));
}

TEST_CASE("a malformed record is left out and counted, never its page", "[unit][helix]") {
    const auto page = read_streams_page(json::parse(R"({"data":[
        {"id":"1","user_login":"a","user_name":"a","viewer_count":1,
         "started_at":"2021-03-31T20:57:26Z"},
        {"id":"2","user_id":"2","user_login":"b","user_name":"b",
         "viewer_count":"many","started_at":"2021-03-31T20:57:26Z"},
        {"id":"3","user_id":"3","user_login":"c","user_name":"c",
         "viewer_count":1,"started_at":"yesterday"},
        {"id":"4","user_id":"4","user_login":"d","user_name":"d",
         "viewer_count":1,"started_at":"2021-03-31T20:57:26Z","tags":["ok",7]},
        {"id":"5","user_id":"5","user_login":"e","user_name":"e",
         "viewer_count":3000000000,"started_at":"2021-03-31T20:57:26Z"},
        {"id":"6","user_id":"6","user_login":"f","user_name":"f",
         "viewer_count":null,"started_at":"2021-03-31T20:57:26Z"},
        "not a record",
        {"id":"8","user_id":"8","user_login":"h","user_name":"h",
         "viewer_count":8,"started_at":"2021-03-31T20:57:26Z"}],
        "pagination":{"cursor":"next"}})"));
    CHECK(page.malformed == 7);
    REQUIRE(page.streams.size() == 1);
    CHECK(page.streams[0].platform_stream_id == "8");
    CHECK(page.cursor == "next");
}

TEST_CASE("users, games, followers and errors map", "[unit][helix]") {
    const auto users = read_users(json::parse(R"({"data":[{
        "id":"141981764","login":"twitchdev","display_name":"TwitchDev","type":"",
        "broadcaster_type":"partner","description":"Supporting developers",
        "profile_image_url":"https://p.png","offline_image_url":"","view_count":0,
        "created_at":"2016-12-14T20:32:28Z"}]})"));
    REQUIRE(users.size() == 1);
    CHECK(users[0].platform_user_id == "141981764");
    CHECK(users[0].broadcaster_type == "partner");
    CHECK(users[0].account_created_at.has_value());

    const auto games = read_games(json::parse(
        R"({"data":[{"id":"33214","name":"Fortnite","box_art_url":"https://b-{width}x{height}.jpg","igdb_id":""}]})"));
    REQUIRE(games.size() == 1);
    CHECK(games[0].name == "Fortnite");

    CHECK(read_followers_total(json::parse(R"({"total":8,"data":[],"pagination":{}})")) == 8);
    CHECK(
        describe_error(400, R"({"error":"Bad Request","status":400,"message":"invalid cursor"})") ==
        "HTTP 400: invalid cursor");
    CHECK(describe_error(401, R"({"error":"invalid_client"})") == "HTTP 401: invalid_client");
    CHECK(describe_error(502, "<html>") == "HTTP 502");
}

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "collector/kick/models.hpp"
#include "collector/platform/json_fields.hpp"

namespace json = boost::json;
using namespace streamscope::kick;

namespace {

// One v2 item with every field, as Kick documents them.
constexpr const char* full_item = R"({
    "id": "40540995068",
    "broadcaster_user": {"id": 711585378, "username": "Mo\u00d6nz \ud83c\udfae",
                         "profile_picture": "https://files.kick.com/p/711585378.webp"},
    "channel": {"slug": "moonzuro8544"},
    "category": {"id": 1112457279, "name": "Just Chatting",
                 "thumbnail": "https://files.kick.com/c/1112457279.webp"},
    "title": "Q&A \"with\" chat\n| \\ tab\t",
    "language_code": "de",
    "started_at": "2026-12-06T00:31:15.123456789Z",
    "tags": ["Coworking", "Chill"],
    "thumbnail": "https://images.kick.com/video_thumbnails/moonzuro8544/720.webp",
    "viewer_count": 1490,
    "has_mature_content": true,
    "a_field_kick_adds_later": {"x": [1, 2]}
})";

json::value page_of(const std::string& items, const std::string& pagination) {
    return json::parse(R"({"data":[)" + items + R"(],"message":"OK")" + pagination + "}");
}

} // namespace

TEST_CASE("a Kick v2 item maps onto an observation, field by field", "[unit][kick]") {
    listing_extras extras;
    const auto page = read_livestreams(
        page_of(full_item, R"(,"pagination":{"next_cursor":"a2ljazE6bzoy"})"), extras);
    REQUIRE(page.streams.size() == 1);
    CHECK(page.malformed == 0);
    CHECK(page.cursor == "a2ljazE6bzoy");
    const auto& s = page.streams[0];
    CHECK(s.platform_stream_id == "40540995068");
    CHECK(s.platform_user_id == "711585378"); // an integer in JSON, text here
    CHECK(s.display_name == "Mo\xC3\x96nz \xF0\x9F\x8E\xAE");
    CHECK(s.login == "moonzuro8544");
    CHECK(s.platform_game_id == "1112457279");
    CHECK(s.game_name == "Just Chatting");
    CHECK(s.title == "Q&A \"with\" chat\n| \\ tab\t");
    CHECK(s.language == "de");
    CHECK(streamscope::time::format_rfc3339(s.started_at) == "2026-12-06T00:31:15.123456Z");
    CHECK(s.tags == std::vector<std::string>{"Coworking", "Chill"});
    CHECK(s.thumbnail_url == "https://images.kick.com/video_thumbnails/moonzuro8544/720.webp");
    CHECK(s.viewer_count == 1490);
    CHECK(s.is_mature);
    // What enrichment takes from the listing instead of a request of its own.
    REQUIRE(extras.categories.contains("1112457279"));
    CHECK(extras.categories.at("1112457279").name == "Just Chatting");
    CHECK(extras.categories.at("1112457279").box_art_url ==
          "https://files.kick.com/c/1112457279.webp");
    CHECK(extras.profile_pictures.at("711585378") == "https://files.kick.com/p/711585378.webp");
}

TEST_CASE("a stream without a category, in either shape Kick may send", "[unit][kick]") {
    for (const std::string category :
         {R"("category": null,)", R"("category": {"id": 0, "name": "", "thumbnail": ""},)", ""}) {
        INFO(category);
        const std::string item = R"({"id": "1", "broadcaster_user": {"id": 7, "username": "a"},
            "channel": {"slug": "a"}, )" +
                                 category +
                                 R"( "started_at": "2026-12-06T00:31:15Z", "viewer_count": 0})";
        listing_extras extras;
        const auto page = read_livestreams(page_of(item, ""), extras);
        REQUIRE(page.streams.size() == 1);
        CHECK(page.streams[0].platform_game_id.empty());
        CHECK(page.streams[0].game_name.empty());
        CHECK(page.streams[0].tags.empty());
        CHECK(page.streams[0].title.empty());
        CHECK_FALSE(page.streams[0].is_mature);
        CHECK(extras.categories.empty());
        CHECK(extras.profile_pictures.empty()); // no picture: nothing to refresh with
    }
}

TEST_CASE("the end of Kick's list: an empty, missing or absent cursor", "[unit][kick]") {
    listing_extras extras;
    CHECK_FALSE(read_livestreams(page_of("", R"(,"pagination":{"next_cursor":""})"), extras)
                    .cursor.has_value());
    CHECK_FALSE(read_livestreams(page_of("", R"(,"pagination":{})"), extras).cursor.has_value());
    CHECK_FALSE(read_livestreams(page_of("", ""), extras).cursor.has_value());
    CHECK_THROWS_AS(read_livestreams(json::parse(R"({"data":null,"message":"OK"})"), extras),
                    streamscope::collector::malformed_field);
}

TEST_CASE("a malformed Kick record is left out and counted, never its page", "[unit][kick]") {
    const std::string base = R"("channel": {"slug": "s"}, "started_at": "2026-12-06T00:31:15Z")";
    const std::string bad =
        std::string(
            R"({"id": "1", "broadcaster_user": {"id": 1, "username": "a"}, "viewer_count": null, )") +
        base + "}," +
        R"({"id": "2", "broadcaster_user": {"id": 2, "username": "b"}, "viewer_count": 3, "tags": ["ok", 5], )" +
        base + "}," +
        R"({"id": "3", "broadcaster_user": {"id": 3, "username": "c"}, "viewer_count": 2147483648, )" +
        base + "}," + R"({"id": "4", "viewer_count": 4, )" + base + "}," +
        R"({"id": "5", "broadcaster_user": {"id": 5, "username": "e"}, "viewer_count": -1, )" +
        base + "}," +
        R"({"id": "6", "broadcaster_user": {"id": 6, "username": "f"}, "viewer_count": 6, "category": "Just Chatting", )" +
        base + "}," +
        R"({"id": "7", "broadcaster_user": {"id": 7, "username": "g"}, "viewer_count": 7, )" +
        base + "}";
    listing_extras extras;
    const auto page =
        read_livestreams(page_of(bad, R"(,"pagination":{"next_cursor":"n"})"), extras);
    CHECK(page.malformed == 6);
    REQUIRE(page.streams.size() == 1);
    CHECK(page.streams[0].platform_stream_id == "7");
    CHECK(page.cursor == "n");
}

TEST_CASE("Kick's live count", "[unit][kick]") {
    CHECK(read_total_count(json::parse(R"({"data":{"total_count":51234},"message":"OK"})")) ==
          51234);
    CHECK_THROWS(read_total_count(json::parse(R"({"data":{},"message":"OK"})")));
}

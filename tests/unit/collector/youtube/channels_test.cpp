#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "collector/platform/json_fields.hpp"
#include "collector/youtube/channels.hpp"

namespace json = boost::json;
using namespace streamscope;
using youtube::channel_ref;
using youtube::parse_channel_ref;
using kind = youtube::channel_ref::kind;

namespace {

// "@xxx..": a handle of `length` characters.
std::string handle_of(std::size_t length) {
    std::string handle = "@";
    handle.append(length, 'x');
    return handle;
}

} // namespace

TEST_CASE("a channels.list answer, field by field", "[unit][youtube]") {
    const auto answer = json::parse(R"({"kind":"youtube#channelListResponse","items":[{
        "kind":"youtube#channel","id":"UCSJ4gkVC6NrvII8umztf0Ow",
        "snippet":{"title":"Lofi Girl","description":"d","customUrl":"@LofiGirl",
            "publishedAt":"2015-03-18T19:47:10Z",
            "thumbnails":{"default":{"url":"https://yt3.ggpht.com/a=s88","width":88,"height":88},
                          "high":{"url":"https://yt3.ggpht.com/a=s800","width":800,"height":800}},
            "country":"FR"},
        "contentDetails":{"relatedPlaylists":{"likes":"","uploads":"UUSJ4gkVC6NrvII8umztf0Ow"}}},
        {"id":"UC_x5XG1OV2P6uZZ5FSM9Ttw","snippet":{"title":"Google for Developers"}}]})");
    std::int32_t malformed = 0;
    const auto channels = youtube::read_channels(answer, malformed);
    CHECK(malformed == 0);
    REQUIRE(channels.size() == 2);
    const auto& c = channels[0];
    CHECK(c.channel_id == "UCSJ4gkVC6NrvII8umztf0Ow");
    CHECK(c.handle == "@lofigirl");
    CHECK(c.title == "Lofi Girl");
    CHECK(c.thumbnail_url == "https://yt3.ggpht.com/a=s800");
    CHECK(c.uploads_playlist == "UUSJ4gkVC6NrvII8umztf0Ow");
    REQUIRE(c.published.has_value());
    CHECK(time::format_rfc3339(*c.published) == "2015-03-18T19:47:10Z");
    // Without contentDetails: the uploads playlist from the id, no handle.
    CHECK(channels[1].uploads_playlist == "UU_x5XG1OV2P6uZZ5FSM9Ttw");
    CHECK(channels[1].handle.empty());
    CHECK(channels[1].thumbnail_url.empty());
    CHECK_FALSE(channels[1].published.has_value());
}

TEST_CASE("a channels.list answer that matched nothing, and ones that are broken",
          "[unit][youtube]") {
    // Google leaves `items` out when nothing matched.
    CHECK(youtube::read_channels(json::parse(R"({"kind":"youtube#channelListResponse",
        "pageInfo":{"totalResults":0,"resultsPerPage":5}})"))
              .empty());
    CHECK(youtube::read_channels(json::parse(R"({"items":[]})")).empty());
    CHECK_THROWS_AS(youtube::read_channels(json::parse(R"({"items":{}})")),
                    collector::malformed_field);
    CHECK_THROWS_AS(youtube::read_channels(json::parse("[]")), collector::malformed_field);

    std::int32_t malformed = 1; // added to
    const auto channels = youtube::read_channels(json::parse(R"({"items":[
        {"id":"UCSJ4gkVC6NrvII8umztf0Ow"},
        {"id":"SJ4gkVC6NrvII8umztf0Ow","snippet":{}},
        {"snippet":{}},
        {"id":"UCSJ4gkVC6NrvII8umztf0Ow","snippet":{"title":7}},
        {"id":"UCSJ4gkVC6NrvII8umztf0Ow","snippet":{"publishedAt":"2015-03-18"}},
        "UCSJ4gkVC6NrvII8umztf0Ow",
        {"id":"UCSJ4gkVC6NrvII8umztf0Ow","snippet":{"title":"ok","publishedAt":null}}]})"),
                                                 malformed);
    CHECK(malformed == 7);
    REQUIRE(channels.size() == 1);
    CHECK(channels[0].title == "ok");
}

TEST_CASE("watchlist entries: channel ids, handles and their URLs", "[unit][youtube]") {
    const channel_ref lofi_id{kind::id, "UCSJ4gkVC6NrvII8umztf0Ow"};
    const channel_ref lofi_handle{kind::handle, "@lofigirl"};
    CHECK(parse_channel_ref("UCSJ4gkVC6NrvII8umztf0Ow") == lofi_id);
    CHECK(parse_channel_ref("  UCSJ4gkVC6NrvII8umztf0Ow\r\n") == lofi_id);
    CHECK(parse_channel_ref("@LofiGirl") == lofi_handle);
    CHECK(parse_channel_ref("@a.b_c-9") == channel_ref{kind::handle, "@a.b_c-9"});
    CHECK(parse_channel_ref("@abc") == channel_ref{kind::handle, "@abc"});
    CHECK(parse_channel_ref(handle_of(30)) == channel_ref{kind::handle, handle_of(30)});

    for (const std::string url :
         {"https://www.youtube.com/channel/UCSJ4gkVC6NrvII8umztf0Ow",
          "https://www.youtube.com/channel/UCSJ4gkVC6NrvII8umztf0Ow/",
          "https://www.youtube.com/channel/UCSJ4gkVC6NrvII8umztf0Ow/live",
          "https://www.youtube.com/channel/UCSJ4gkVC6NrvII8umztf0Ow?sub_confirmation=1",
          "http://youtube.com/channel/UCSJ4gkVC6NrvII8umztf0Ow#about",
          "HTTPS://M.YouTube.com/channel/UCSJ4gkVC6NrvII8umztf0Ow",
          "www.youtube.com/channel/UCSJ4gkVC6NrvII8umztf0Ow"}) {
        INFO(url);
        CHECK(parse_channel_ref(url) == lofi_id);
    }
    for (const std::string url :
         {"https://www.youtube.com/@LofiGirl", "https://www.youtube.com/@lofigirl/",
          "https://www.youtube.com/@LofiGirl/streams", "https://youtube.com/@LofiGirl?si=x",
          "youtube.com/@LOFIGIRL"}) {
        INFO(url);
        CHECK(parse_channel_ref(url) == lofi_handle);
    }
}

TEST_CASE("what is not a channel reference", "[unit][youtube]") {
    for (const std::string& text :
         std::vector<std::string>{"",
                                  "   ",
                                  "LofiGirl",
                                  "@ab",
                                  handle_of(31),
                                  "@lofi girl",
                                  "@lofi/girl",
                                  "@lofi\xC3\xA9",
                                  "@",
                                  "UCSJ4gkVC6NrvII8umztf0O",
                                  "UCSJ4gkVC6NrvII8umztf0Oww",
                                  "UUSJ4gkVC6NrvII8umztf0Ow",
                                  "UCSJ4gkVC6NrvII8umztf0O+",
                                  "ucSJ4gkVC6NrvII8umztf0Ow",
                                  "https://www.youtube.com/c/LofiGirl",
                                  "https://www.youtube.com/user/LofiGirl",
                                  "https://www.youtube.com/LofiGirl",
                                  "https://www.youtube.com/watch?v=jfKfPfyJRdk",
                                  "https://www.youtube.com/channel/@LofiGirl",
                                  "https://www.youtube.com/@",
                                  "https://www.youtube.com/channel/UCSJ4gkVC6NrvII8umztf0Owx",
                                  "https://www.youtube.com.evil.example/@LofiGirl",
                                  "https://evil.example/https://www.youtube.com/@LofiGirl",
                                  "https://notyoutube.com/@LofiGirl",
                                  "ftp://www.youtube.com/@LofiGirl",
                                  "https://www.youtube.com/%40LofiGirl"}) {
        INFO(text);
        CHECK_FALSE(parse_channel_ref(text).has_value());
    }
}

TEST_CASE("a channel's uploads playlist", "[unit][youtube]") {
    CHECK(youtube::uploads_playlist_of("UCSJ4gkVC6NrvII8umztf0Ow") == "UUSJ4gkVC6NrvII8umztf0Ow");
    CHECK(youtube::uploads_playlist_of("UUSJ4gkVC6NrvII8umztf0Ow").empty());
    CHECK(youtube::uploads_playlist_of("").empty());
}

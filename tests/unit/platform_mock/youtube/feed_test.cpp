#include <catch2/catch.hpp>

#include "tests/platform_mock/youtube/data_api.hpp"
#include "tests/platform_mock/youtube/feed.hpp"

using namespace streamscope;
using namespace streamscope::platform_mock::youtube;

TEST_CASE("Feed text is escaped for XML 1.0", "[unit][mock][youtube]") {
    CHECK(xml_escape("Tom & Jerry <live> \"now\" it's") ==
          "Tom &amp; Jerry &lt;live&gt; &quot;now&quot; it&#39;s");
    // CR would become LF in any XML parser; controls XML cannot carry at all are left out.
    CHECK(xml_escape("a\r\nb\tc\x01\x1f") == "a&#13;\nb\tc");
    CHECK(xml_escape("caf\xc3\xa9 \xf0\x9f\x94\xa5") == "caf\xc3\xa9 \xf0\x9f\x94\xa5");
    CHECK(xml_escape("x\xef\xbf\xbfy") == "xy"); // U+FFFF
    CHECK(xml_escape("caf\xc3\xa9 \xf0\x9f\x94\xa5 & \xe6\x97\xa5", true) ==
          "caf&#xE9; &#x1F525; &amp; &#x65E5;");
}

TEST_CASE("Search titles are HTML-escaped as Google does", "[unit][mock][youtube]") {
    CHECK(html_escape("Tom & Jerry's <\"best\">") ==
          "Tom &amp; Jerry&#39;s &lt;&quot;best&quot;&gt;");
}

TEST_CASE("Page tokens are YouTube's: base64 of {1: offset, 2: 0}", "[unit][mock][youtube]") {
    CHECK(page_token(5) == "CAUQAA");
    CHECK(page_token(50) == "CDIQAA");
    CHECK(page_token(200) == "CMgBEAA");
    for (const std::uint64_t offset : {0ULL, 1ULL, 49ULL, 127ULL, 128ULL, 5000ULL}) {
        CHECK(read_page_token(page_token(offset)) == offset);
    }
    CHECK_FALSE(read_page_token("nope"));
    CHECK_FALSE(read_page_token(""));
    CHECK_FALSE(read_page_token("CAUQAQ")); // field 2 is not 0
}

TEST_CASE("A channel's feed lists its 15 newest uploads, newest first", "[unit][mock][youtube]") {
    const auto start = *time::parse_rfc3339("2026-03-01T12:00:00Z");
    world w({.channels = 50, .live_fraction = 0.2, .seed = 7}, start);
    w.advance_to(start + std::chrono::hours(24 * 30));
    std::size_t checked = 0;
    for (const channel& c : w.channels()) {
        if (c.terminated) {
            continue;
        }
        const std::string xml = channel_feed(w, c);
        CHECK(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed "));
        CHECK((xml.find("<id>yt:channel:" + c.id + "</id>") != std::string::npos ||
               xml.find("<id>yt:channel:" + c.id.substr(2) + "</id>") != std::string::npos));
        std::vector<const video*> expected;
        for (auto it = c.uploads.rbegin(); it != c.uploads.rend() && expected.size() < 15; ++it) {
            if (!w.video_at(*it).removed) {
                expected.push_back(&w.video_at(*it));
            }
        }
        std::size_t from = 0;
        for (const video* v : expected) {
            const auto found = xml.find("<yt:videoId>" + v->id + "</yt:videoId>", from);
            REQUIRE(found != std::string::npos);
            from = found;
        }
        std::size_t entries = 0;
        for (auto p = xml.find("<entry>"); p != std::string::npos; p = xml.find("<entry>", p + 1)) {
            ++entries;
        }
        CHECK(entries == expected.size());
        ++checked;
    }
    CHECK(checked > 40);
}

#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "collector/youtube/feed.hpp"

using namespace streamscope;
using youtube::feed_error;
using youtube::parse_feed;

namespace {

// The shape YouTube serves: the feed's own channel id without its "UC", the entries' whole.
std::string feed_of(const std::string& entries, const std::string& head = {}) {
    std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
 <link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id=UCVls1GmFKf6WlTraIb_IaJg"/>
 <id>yt:channel:Vls1GmFKf6WlTraIb_IaJg</id>
)";
    xml += head.empty() ? " <yt:channelId>Vls1GmFKf6WlTraIb_IaJg</yt:channelId>\n"
                          " <title>Distro &amp; Tube</title>\n"
                        : head;
    xml +=
        R"( <author><name>DistroTube</name><uri>https://www.youtube.com/channel/UCVls1GmFKf6WlTraIb_IaJg</uri></author>
 <published>2017-10-08T15:27:13+00:00</published>
)";
    xml += entries;
    xml += "</feed>\n";
    return xml;
}

std::string entry_of(const std::string& video_id, const std::string& title,
                     const std::string& published = "2026-11-29T18:00:05+00:00") {
    std::string xml = " <entry>\n  <id>yt:video:";
    xml += video_id;
    xml += "</id>\n  <yt:videoId>";
    xml += video_id;
    xml += "</yt:videoId>\n  <yt:channelId>UCVls1GmFKf6WlTraIb_IaJg</yt:channelId>\n  <title>";
    xml += title;
    xml += "</title>\n  <link rel=\"alternate\" href=\"https://www.youtube.com/watch?v=";
    xml += video_id;
    xml += "\"/>\n  <published>";
    xml += published;
    xml += R"(</published>
  <updated>2026-11-30T01:02:03.5+00:00</updated>
  <media:group>
   <media:title>ignored</media:title>
   <media:thumbnail url="https://i2.ytimg.com/vi/x/hqdefault.jpg" width="480" height="360"/>
   <media:community><media:starRating count="9" average="5.00" min="1" max="5"/><media:statistics views="120"/></media:community>
  </media:group>
 </entry>
)";
    return xml;
}

std::string error_of(const std::string& xml) {
    try {
        parse_feed(xml);
    } catch (const feed_error& e) {
        return e.what();
    }
    return "(no feed_error)";
}

} // namespace

TEST_CASE("a channel's feed, field by field", "[unit][youtube]") {
    const auto f = parse_feed(
        feed_of(entry_of("FA__ScVhGQA", "Building Y") + entry_of("dWa5hJGpTN4", "Second")));
    CHECK(f.channel_id == "UCVls1GmFKf6WlTraIb_IaJg"); // the "UC" the feed leaves out, back
    CHECK(f.title == "Distro & Tube");
    CHECK(f.malformed == 0);
    REQUIRE(f.entries.size() == 2);
    CHECK(f.entries[0].video_id == "FA__ScVhGQA");
    CHECK(f.entries[0].channel_id == "UCVls1GmFKf6WlTraIb_IaJg");
    CHECK(f.entries[0].title == "Building Y");
    REQUIRE(f.entries[0].published.has_value());
    CHECK(time::format_rfc3339(*f.entries[0].published) == "2026-11-29T18:00:05Z");
    REQUIRE(f.entries[0].updated.has_value());
    CHECK(time::format_rfc3339(*f.entries[0].updated) == "2026-11-30T01:02:03.500000Z");
    CHECK(f.entries[1].video_id == "dWa5hJGpTN4");
    CHECK(f.entries[1].title == "Second");
}

TEST_CASE("feed text comes out with entities and character references decoded as UTF-8",
          "[unit][youtube]") {
    const auto f = parse_feed(feed_of(
        entry_of("FA__ScVhGQA",
                 "Q&amp;A &lt;live&gt; &quot;now&quot; &apos;a&apos; it&#39;s &#x2603; &#9731; "
                 "&#x1F3AE; &#233;t&#xE9; <![CDATA[raw & <b>kept</b>]]> M\xC3\xB6nz")));
    REQUIRE(f.entries.size() == 1);
    CHECK(f.entries[0].title == "Q&A <live> \"now\" 'a' it's \xE2\x98\x83 \xE2\x98\x83 "
                                "\xF0\x9F\x8E\xAE \xC3\xA9t\xC3\xA9 raw & <b>kept</b> M\xC3\xB6nz");
}

TEST_CASE("the feed's channel id in each shape YouTube writes it", "[unit][youtube]") {
    const std::string entry = entry_of("FA__ScVhGQA", "t");
    CHECK(parse_feed(feed_of(entry, "<yt:channelId>UCVls1GmFKf6WlTraIb_IaJg</yt:channelId>"))
              .channel_id == "UCVls1GmFKf6WlTraIb_IaJg");
    CHECK(parse_feed(feed_of(entry, "<yt:channelId/><title>x</title>")).channel_id.empty());
    CHECK(parse_feed(feed_of(entry, "<yt:channelId>nonsense</yt:channelId>")).channel_id.empty());
    CHECK(parse_feed(feed_of(entry, "<title>no id</title>")).channel_id.empty());
}

TEST_CASE("a WebSub notification: no channel at the top, another prefix, a byte order mark",
          "[unit][youtube]") {
    const std::string xml =
        "\xEF\xBB\xBF\n<?xml version='1.0' encoding='UTF-8'?>"
        "<feed xmlns:y=\"http://www.youtube.com/xml/schemas/2015\" "
        "xmlns=\"http://www.w3.org/2005/Atom\">"
        "<link rel=\"hub\" href=\"https://pubsubhubbub.appspot.com\"/>"
        "<title>YouTube video feed</title><updated>2026-11-30T01:02:03+00:00</updated>"
        "<entry><id>yt:video:VIDEO_ID_01</id><y:videoId>VIDEO_ID_01</y:videoId>"
        "<y:channelId>UC_x5XG1OV2P6uZZ5FSM9Ttw</y:channelId><title>Video title</title>"
        "<published>2026-11-30T01:00:00+00:00</published></entry></feed>";
    const auto f = parse_feed(xml);
    CHECK(f.channel_id.empty());
    CHECK(f.title == "YouTube video feed");
    REQUIRE(f.entries.size() == 1);
    CHECK(f.entries[0].video_id == "VIDEO_ID_01");
    CHECK(f.entries[0].channel_id == "UC_x5XG1OV2P6uZZ5FSM9Ttw");
    CHECK_FALSE(f.entries[0].updated.has_value());
}

TEST_CASE("a feed entry that cannot be read is left out and counted, never the feed",
          "[unit][youtube]") {
    const std::string no_video_id =
        " <entry><yt:channelId>UCVls1GmFKf6WlTraIb_IaJg</yt:channelId><title>a</title></entry>\n";
    const std::string own_channel_missing = " <entry><yt:videoId>ABCDEFGHIJK</yt:videoId></entry>";
    const auto f = parse_feed(
        feed_of(no_video_id + entry_of("short_id_0", "10 characters") +
                entry_of("twelve_chars", "12 characters") + entry_of("bad+char_01", "a '+'") +
                entry_of("", "empty id") + entry_of("NUL_title01", "a &#0; in the title") +
                entry_of("surrogate01", "&#xD800;") + entry_of("latin1_byte", "caf\xE9") +
                entry_of(" spaced_id01\n", "published is not RFC 3339", "yesterday") +
                own_channel_missing));
    CHECK(f.malformed == 8);
    REQUIRE(f.entries.size() == 2);
    CHECK(f.entries[0].video_id == "spaced_id01"); // blanks around an id are not part of it
    CHECK_FALSE(f.entries[0].published.has_value());
    CHECK(f.entries[1].video_id == "ABCDEFGHIJK");
    CHECK(f.entries[1].channel_id == "UCVls1GmFKf6WlTraIb_IaJg"); // the feed's, for want of its own
    CHECK(f.entries[1].title.empty());

    // Without a channel id in the feed either, an entry cannot be attributed.
    const auto orphan = parse_feed(feed_of(own_channel_missing, "<title>t</title>"));
    CHECK(orphan.entries.empty());
    CHECK(orphan.malformed == 1);
}

TEST_CASE("a feed without entries", "[unit][youtube]") {
    const auto f = parse_feed(feed_of(""));
    CHECK(f.entries.empty());
    CHECK(f.malformed == 0);
    CHECK(f.title == "Distro & Tube");
}

TEST_CASE("what is not a feed throws feed_error saying what it is", "[unit][youtube]") {
    const std::string good = feed_of(entry_of("FA__ScVhGQA", "t"));
    CHECK(error_of("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error "
                   "404 (Not Found)!!1</title>") == "not a feed: an HTML page");
    CHECK(error_of("  <HTML><BODY>500</BODY></HTML>") == "not a feed: an HTML page");
    // Cut after its first entry: line 23 is the one after that entry's end.
    const std::string cut = good.substr(0, good.find("</entry>") + 9);
    REQUIRE(std::count(cut.begin(), cut.end(), '\n') == 22);
    CHECK(error_of(cut) == "not a feed: not well-formed XML (line 23: unexpected end of data)");
    CHECK(error_of(good.substr(0, good.find("</title>") + 4)) ==
          "not a feed: not well-formed XML (line 6: expected >)");
    CHECK(error_of("") == "not a feed: no root element");
    CHECK(error_of("<?xml version=\"1.0\"?>\n<!-- nothing -->") == "not a feed: no root element");
    CHECK(error_of("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel/></rss>") ==
          "not a feed: the root element is <rss>, not <feed>");
    CHECK(error_of("<feed><title>no namespace</title></feed>") ==
          "not a feed: <feed> is not in the Atom namespace");
    CHECK(error_of("<feed xmlns=\"http://www.w3.org/2005/Atom\"/><feed "
                   "xmlns=\"http://www.w3.org/2005/Atom\"/>") ==
          "not a feed: more than one root element");
    CHECK(error_of("<feed xmlns=\"http://www.w3.org/2005/Atom\">&#x110000;</feed>") ==
          "not a feed: not well-formed XML (line 1: invalid numeric character entity)");
    CHECK(error_of(feed_of("", "<title>&#0;</title>")) ==
          "not a feed: its <title> is not valid UTF-8 or holds U+0000");
}

TEST_CASE("a feed's size and depth are bounded before it is parsed", "[unit][youtube]") {
    std::string big = feed_of(entry_of("FA__ScVhGQA", std::string(youtube::max_feed_bytes, 'x')));
    CHECK(error_of(big) ==
          "not a feed: " + std::to_string(big.size()) + " bytes, more than 2097152");
    // Exactly at the limit is read.
    const std::string small = feed_of(entry_of("FA__ScVhGQA", "t"));
    const std::string padded = small + std::string(youtube::max_feed_bytes - small.size(), '\n');
    CHECK(parse_feed(padded).entries.size() == 1);

    // 100,000 nested elements would overflow the parser's stack; 64 levels are fine.
    const auto nested = [](int depth) {
        std::string xml = "<feed xmlns=\"http://www.w3.org/2005/Atom\">";
        for (int i = 1; i < depth; ++i) {
            xml += "<a x='>'>";
        }
        xml += "<!-- <b> --><![CDATA[<c>]]><br/>";
        for (int i = 1; i < depth; ++i) {
            xml += "</a>";
        }
        return xml + "</feed>";
    };
    CHECK(parse_feed(nested(youtube::max_feed_depth)).entries.empty());
    CHECK(error_of(nested(youtube::max_feed_depth + 1)) ==
          "not a feed: elements nested deeper than 64");
    CHECK(error_of(nested(100'000)) == "not a feed: elements nested deeper than 64");
}

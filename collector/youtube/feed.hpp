#pragma once
// A channel's Atom feed (https://www.youtube.com/feeds/videos.xml?channel_id=ID), which costs no
// quota: the channel's 15 latest uploads, scheduled and live broadcasts among them. Also the
// shape of WebSub's notifications, which name no channel at the top. Pure: no I/O.
//   <feed xmlns="http://www.w3.org/2005/Atom" xmlns:yt="http://www.youtube.com/xml/schemas/2015">
//     <yt:channelId>(22 characters: the channel id without its "UC")</yt:channelId><title>..
//     </title>
//     <entry><yt:videoId>..</yt:videoId><yt:channelId>UC..</yt:channelId><title>..</title>
//            <published>RFC 3339</published><updated>RFC 3339</updated>..</entry>..
//   </feed>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/time/timestamp.hpp"

namespace streamscope::youtube {

// The document is not such a feed: its message says what it is instead, for a log line.
class feed_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Bigger documents are refused unread: a feed of 15 entries is 30-60 KB.
inline constexpr std::size_t max_feed_bytes = 2 * 1024 * 1024;
// Deeper element nesting is refused before parsing (the parser recurses once per level; a feed
// nests 4 deep).
inline constexpr int max_feed_depth = 64;

struct feed_entry {
    std::string video_id;                     // 11 characters of [A-Za-z0-9_-]
    std::string channel_id;                   // the entry's <yt:channelId>, else the feed's
    std::string title;                        // byte for byte, entities decoded; may be empty
    std::optional<time::timestamp> published; // nullopt: missing or not RFC 3339
    std::optional<time::timestamp> updated;   // idem; changes with the title, among others
};

struct feed {
    // "UC" + 22: YouTube writes the feed's own id without the "UC" (its entries write it
    // whole), and the whole id is what comes out. Empty when the feed names none (WebSub
    // notifications) or names it in neither shape.
    std::string channel_id;
    std::string title;               // the channel's name
    std::vector<feed_entry> entries; // in the feed's order (newest first)
    // Entries left out: no <yt:videoId>, or one that is not a video id, no channel id in the
    // entry or the feed, a channel id that is not one, or a title that is not valid UTF-8 or
    // holds U+0000 (PostgreSQL cannot store it; `&#0;` and surrogate references decode to it).
    std::int32_t malformed = 0;
};

// The feed in `xml`. Throws feed_error when `xml` is larger than max_feed_bytes, nested deeper
// than max_feed_depth, an HTML page, not well-formed XML (truncated, say), has no root <feed>
// in the Atom namespace, or a <title> of its own that is not valid UTF-8 or holds U+0000. Text
// comes out decoded: the five predefined entities, decimal and hexadecimal character
// references (as UTF-8) and CDATA sections.
feed parse_feed(std::string_view xml);

} // namespace streamscope::youtube

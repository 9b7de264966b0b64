// libFuzzer target: a channel's Atom feed as youtube.com sends it (collector/youtube/feed.hpp),
// the one piece of the collector that reads XML from outside. Input: the document.
// Checks: the parser either refuses the document with feed_error or returns a feed whose every
// entry has a video id, a channel id that is one (or none), and text PostgreSQL can store;
// nothing else escapes it (Boost.PropertyTree's parser recurses once per nested element: the
// depth check in front of it is what this target guards).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collector/youtube/feed.hpp"
#include "collector/youtube/ids.hpp"
#include "common/text/utf8.hpp"
#include "fuzz/require.hpp"

namespace {

using streamscope::fuzz::require;
namespace youtube = streamscope::youtube;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view xml(reinterpret_cast<const char*>(data), size);
    youtube::feed parsed;
    try {
        parsed = youtube::parse_feed(xml);
    } catch (const youtube::feed_error&) {
        return 0; // refused, with a message: fine
    }
    require(parsed.channel_id.empty() || youtube::is_channel_id(parsed.channel_id),
            "the feed's channel id is one");
    require(streamscope::text::is_storable_text(parsed.title), "the feed's title is storable");
    require(parsed.malformed >= 0, "malformed entries are counted, never negative");
    require(parsed.entries.size() <= size, "no more entries than bytes");
    for (const youtube::feed_entry& entry : parsed.entries) {
        require(youtube::is_video_id(entry.video_id), "an entry has a video id");
        require(entry.channel_id.empty() || youtube::is_channel_id(entry.channel_id),
                "an entry's channel id is one");
        require(streamscope::text::is_storable_text(entry.title), "an entry's title is storable");
    }
    return 0;
}

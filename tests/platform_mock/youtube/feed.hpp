#pragma once
// A channel's Atom feed as www.youtube.com/feeds/videos.xml?channel_id=UC... serves it: the
// channel, then its 15 newest uploads (upcoming and live broadcasts included), newest first,
// in the yt: and media: namespaces. The feed's own <id> and <yt:channelId> hold the channel id
// with its "UC" for half the channels and without it for the others, as YouTube's feeds differ.
// Pure functions.

#include <string>
#include <string_view>

#include "tests/platform_mock/youtube/world.hpp"

namespace streamscope::platform_mock::youtube {

inline constexpr std::size_t feed_entries = 15;
inline constexpr std::string_view feed_content_type = "application/atom+xml; charset=UTF-8";

// Text or attribute content for XML 1.0: & < > " ' as entities, CR as &#13; (a parser would
// turn a raw one into LF), the characters XML 1.0 cannot carry at all (C0 controls but tab and
// LF, U+FFFE, U+FFFF) left out, everything else as UTF-8; or, with `numeric_references`, every
// character beyond ASCII as a hexadecimal reference (&#x1F525;). `text` is valid UTF-8.
std::string xml_escape(std::string_view text, bool numeric_references = false);

// The whole document for the channel, at the world's current state.
std::string channel_feed(const world& w, const channel& c);

} // namespace streamscope::platform_mock::youtube

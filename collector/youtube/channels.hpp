#pragma once
// Channels: a channels.list(part=snippet,contentDetails) answer (1 unit per call of up to 50
// ids, or one forHandle), and the watchlist's ways of naming a channel. Pure: no I/O.
//   {"items": [{"id": "UC..", "snippet": {"title", "customUrl": "@name", "publishedAt",
//     "thumbnails": {..}}, "contentDetails": {"relatedPlaylists": {"uploads": "UU.."}}}]}

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "common/time/timestamp.hpp"

namespace streamscope::youtube {

struct channel_info {
    std::string channel_id;
    // snippet.customUrl, e.g. "@name", with its ASCII letters in lower case (as
    // parse_channel_ref writes handles, so that the two compare); may be empty.
    std::string handle;
    std::string title;
    std::string thumbnail_url; // the largest
    // contentDetails.relatedPlaylists.uploads, else uploads_playlist_of(channel_id).
    std::string uploads_playlist;
    std::optional<time::timestamp> published; // snippet.publishedAt
};

// The channels of the answer, in its order. A missing `items` means none: Google leaves it out
// when nothing matched (an unknown handle or id). Throws collector::malformed_field when the
// answer is not an object or `items` is not an array. A record that is not an object, has no id
// that is a channel id, no snippet, a text field that is not text, or a publishedAt that is not
// RFC 3339 is left out and added to `malformed` (the overload without it drops the count).
std::vector<channel_info> read_channels(const boost::json::value& answer, std::int32_t& malformed);
std::vector<channel_info> read_channels(const boost::json::value& answer);

// A channel as a watchlist names it.
struct channel_ref {
    enum class kind { id, handle } type;
    std::string text; // "UC" + 22 characters, or "@" + the handle in lower case

    bool operator==(const channel_ref&) const = default;
};

// `text` (blanks around it ignored) as a channel reference: "UC" + 22 of [A-Za-z0-9_-] (an
// id), "@" + 3-30 of ASCII letters, digits, '_', '-', '.' (a handle; case does not matter, so
// it comes out in lower case), or either as a YouTube URL: [http[s]://][www.|m.]youtube.com/
// channel/UC.. or /@handle, and after it the end, '/' (and any path), '?' or '#'. nullopt for
// anything else, among it legacy /c/ and /user/ URLs and handles in other scripts.
std::optional<channel_ref> parse_channel_ref(std::string_view text);

// The channel's uploads playlist: "UC.." -> "UU..". "" when `channel_id` is not a channel id.
std::string uploads_playlist_of(std::string_view channel_id);

} // namespace streamscope::youtube

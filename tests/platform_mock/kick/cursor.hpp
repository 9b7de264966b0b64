#pragma once
// Kick's v2 livestreams cursors: opaque base64 strings, in one of two kinds.
// - offset (the default): where the next page starts in the listing as it is when that page is
//   asked for, as an API that pins no snapshot does. When streams before the cursor end while
//   a client pages, the rest shift up and the first streams of the next page are skipped.
// - keyset (--kick-cursor keyset): the listing key (start instant, stream id) of the last
//   stream returned; the next page starts right after it, wherever that is by then.
// Either kind is accepted in either mode: a cursor carries its own meaning.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamscope::platform_mock::kick {

struct listing_cursor {
    enum class kind { offset, keyset };
    kind type = kind::offset;
    std::uint64_t offset = 0;    // offset: the index the next page starts at
    std::int64_t key = 0;        // keyset: the last stream's ranked_stream::key ...
    std::uint64_t stream_id = 0; // ... and its stream id
    std::uint64_t scope = 0;     // the filter and world instance it belongs to
};

std::string encode_cursor(const listing_cursor& cursor);

// nullopt when `text` is not a cursor this mock made. The caller compares `scope`.
std::optional<listing_cursor> decode_cursor(std::string_view text);

} // namespace streamscope::platform_mock::kick

#pragma once
// Get Streams cursors. Like Twitch's, they are opaque base64 strings holding an offset into the
// ranking as it is when the next page is asked for, so a client that pages while viewer counts
// change really sees duplicates and misses. Ours use the standard alphabet with padding and
// always start with "+/", so a client that does not percent-encode them breaks visibly ('+'
// arrives as a space) instead of by luck.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamscope::platform_mock::twitch {

struct page_cursor {
    std::uint64_t start = 0; // first offset of the page that issued the cursor (for `before`)
    std::uint64_t next = 0;  // first offset of the following page (for `after`)
    std::uint64_t scope = 0; // the filter and world instance it belongs to
};

std::string encode_cursor(const page_cursor& cursor);

// nullopt when `text` is not a cursor this mock made (bad base64, wrong prefix or layout).
// The caller compares `scope` to reject cursors from another filter or instance.
std::optional<page_cursor> decode_cursor(std::string_view text);

} // namespace streamscope::platform_mock::twitch

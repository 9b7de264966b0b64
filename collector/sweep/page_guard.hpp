#pragma once
// Guards paging through Get Streams against the cursor bugs Helix is known for
// (shared/platform-apis.md, pitfalls 2-4): a cursor handed out twice, a page that jumps back
// to the top of the list, an empty page that still has a cursor. The sweep retries such a
// page once and then ends as partial, so a bad cursor can never make it loop.

#include <cstddef>
#include <string>
#include <unordered_set>

#include "collector/platform/platform_client.hpp"

namespace streamscope::collector {

enum class page_verdict {
    ok,
    repeated_cursor,   // the next cursor was handed out before
    back_to_top,       // most of the page is the first page again
    empty_with_cursor, // no streams, yet a cursor to go on with
};

const char* to_string(page_verdict v);

class page_guard {
public:
    // Judges the next page in order. Does not remember it: call accept() for pages that are
    // used, so that a retried page is judged afresh.
    page_verdict check(const listing_page& page) const;
    void accept(const listing_page& page);

private:
    std::unordered_set<std::string> cursors_;
    std::unordered_set<std::string> first_page_; // stream ids
    std::size_t pages_ = 0;                      // accepted so far
};

} // namespace streamscope::collector

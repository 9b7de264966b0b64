#include "collector/sweep/page_guard.hpp"

namespace streamscope::collector {

const char* to_string(page_verdict v) {
    switch (v) {
    case page_verdict::ok:
        return "ok";
    case page_verdict::repeated_cursor:
        return "a cursor handed out before";
    case page_verdict::back_to_top:
        return "a page that jumped back to the top of the list";
    case page_verdict::empty_with_cursor:
        return "an empty page with a cursor";
    }
    return "?";
}

page_verdict page_guard::check(const listing_page& page) const {
    if (page.streams.empty() && page.cursor) {
        return page_verdict::empty_with_cursor;
    }
    if (page.cursor && cursors_.contains(*page.cursor)) {
        return page_verdict::repeated_cursor;
    }
    if (pages_ > 0 && !page.streams.empty()) {
        // Streams move between neighbouring pages as viewers shift, but half of a later page
        // being the first page means the cursor led back to the start.
        std::size_t seen_on_first = 0;
        for (const auto& s : page.streams) {
            seen_on_first += first_page_.contains(s.platform_stream_id) ? 1 : 0;
        }
        if (seen_on_first * 2 > page.streams.size()) {
            return page_verdict::back_to_top;
        }
    }
    return page_verdict::ok;
}

void page_guard::accept(const listing_page& page) {
    if (pages_ == 0) {
        for (const auto& s : page.streams) {
            first_page_.insert(s.platform_stream_id);
        }
    }
    if (page.cursor) {
        cursors_.insert(*page.cursor);
    }
    ++pages_;
}

} // namespace streamscope::collector

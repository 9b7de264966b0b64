#pragma once
// Pages a platform's list of every live stream: part by part (a platform whose list can be
// filtered pages it in parts, so that each part moves less while it is paged), each part to its
// end with its cursors guarded against the bugs Helix is known for, then once more over the
// stretch of the part that moved while it was paged.
//
// Why the second pass: the list re-sorts while it is paged, and its cursors are positions.
// A stream that moves down across the cursor shows up twice (a duplicate); one that moves up
// across it makes the next page skip the stream at its edge. In the tail of Twitch's list,
// where hundreds of streams share a tiny viewer count and re-sort constantly, a stream that
// started after the last sweep passed its place, and that this sweep skips too, is known to no
// look-up: it would be lost. Streams move up about as often as they move down, so the
// duplicates show where the skips happened: the stretch to page again.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "collector/platform/platform_client.hpp"
#include "collector/sweep/stream_set.hpp"

namespace streamscope::collector {

// A page of a part's first pass: the cursor it was asked with, and how many of its streams had
// been seen on an earlier page. Each crossing of the cursor shows as one such duplicate and
// costs one stream: a stream that moves down across it is seen twice, and the stream at the
// page's edge falls back behind it; one that moves up across it is missed itself, and the
// stream at the edge is seen twice.
struct page_mark {
    std::optional<std::string> cursor;
    std::int32_t seen_before = 0;
};

// Where the part moved: the page before the shortest run of last pages that holds nine tenths
// of the pass's duplicates (a skipped stream falls just behind the cursor). nullopt when there
// were none.
std::optional<std::size_t> moved_stretch(const std::vector<page_mark>& marks);

class pager {
public:
    // `expected`: the streams the last sweep saw (it sizes the set and caps the pages: 1.5
    // times the pages that many take, at least 2,000). `max_streams` > 0: only the head of one
    // list is wanted (the most watched), so no parts and no second pass.
    pager(platform_client& client, std::size_t expected, std::size_t max_streams,
          const bool& stopping);

    // Pages every part. A part that fails after its retry ends paging: the sweep is partial
    // (failed when no page came); a second pass cut short costs nothing the first had.
    boost::asio::awaitable<void> run();

    stream_set& seen() { return seen_; }
    model::sweep_status status() const { return status_; }
    const std::string& problems() const { return problems_; }
    std::int32_t pages() const { return pages_; }
    std::int32_t repaged() const { return repaged_; }
    std::size_t caught_again() const { return caught_again_; }
    std::int32_t malformed() const { return malformed_; }

private:
    boost::asio::awaitable<bool> first_pass(std::size_t part, std::vector<page_mark>& marks);
    boost::asio::awaitable<void> second_pass(std::size_t part, const std::vector<page_mark>& marks);
    void fail(std::string problem);

    platform_client& client_;
    std::size_t expected_;
    std::size_t max_streams_;
    const bool& stopping_;
    stream_set seen_;
    model::sweep_status status_ = model::sweep_status::complete;
    std::string problems_;
    std::int32_t pages_ = 0;
    std::int32_t repaged_ = 0;
    std::size_t caught_again_ = 0;
    std::int32_t malformed_ = 0;
    std::size_t page_size_ = 0; // the largest page seen: what the cap counts in
    std::size_t page_cap_;
};

} // namespace streamscope::collector

#include <catch2/catch.hpp>

#include "collector/sweep/page_guard.hpp"

using streamscope::collector::page_guard;
using streamscope::collector::page_verdict;
using streams_page = streamscope::collector::listing_page;

namespace {
// (Not "u" + std::to_string(i): GCC 12 warns about it with a false -Wrestrict, PR 105329.)
std::string id(char prefix, int n) {
    std::string out(1, prefix);
    out += std::to_string(n);
    return out;
}

streams_page page(int first_id, int count, std::optional<std::string> cursor) {
    streams_page p;
    for (int i = 0; i < count; ++i) {
        streamscope::model::stream_observation s;
        s.platform_stream_id = std::to_string(first_id + i);
        s.platform_user_id = id('u', first_id + i);
        p.streams.push_back(s);
    }
    p.cursor = std::move(cursor);
    return p;
}
} // namespace

TEST_CASE("ordinary pages pass", "[unit][sweep]") {
    page_guard guard;
    for (int i = 0; i < 5; ++i) {
        const auto p = page(i * 100, 100, id('c', i));
        REQUIRE(guard.check(p) == page_verdict::ok);
        guard.accept(p);
    }
    const auto last = page(500, 37, std::nullopt); // short last page, no cursor
    CHECK(guard.check(last) == page_verdict::ok);
}

TEST_CASE("a cursor handed out twice is a loop", "[unit][sweep]") {
    page_guard guard;
    guard.accept(page(0, 100, "c1"));
    guard.accept(page(100, 100, "c2"));
    CHECK(guard.check(page(200, 100, "c1")) == page_verdict::repeated_cursor);
    CHECK(guard.check(page(200, 100, "c3")) == page_verdict::ok);
}

TEST_CASE("a page that is mostly the first page again is back at the top", "[unit][sweep]") {
    page_guard guard;
    guard.accept(page(0, 100, "c1"));
    guard.accept(page(100, 100, "c2"));
    CHECK(guard.check(page(0, 100, "c9")) == page_verdict::back_to_top);
    // A few streams moving down from the first page are normal churn.
    auto shifted = page(200, 100, "c3");
    for (int i = 0; i < 10; ++i) {
        shifted.streams[static_cast<std::size_t>(i)].platform_stream_id = std::to_string(i);
    }
    CHECK(guard.check(shifted) == page_verdict::ok);
}

TEST_CASE("an empty page with a cursor is suspect, an empty last page is not", "[unit][sweep]") {
    page_guard guard;
    guard.accept(page(0, 100, "c1"));
    CHECK(guard.check(page(0, 0, "c2")) == page_verdict::empty_with_cursor);
    CHECK(guard.check(page(0, 0, std::nullopt)) == page_verdict::ok);
}

#include "collector/sweep/pager.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "collector/sweep/page_guard.hpp"

namespace streamscope::collector {
namespace {

// Pages per sweep, at least; more when the last sweep saw more streams (pitfall 3: a page cap
// of about 1.5 times the expected pages ends a sweep that a cursor bug would never end).
constexpr std::size_t min_page_cap = 2000;

} // namespace

std::optional<std::size_t> moved_stretch(const std::vector<page_mark>& marks) {
    std::int64_t total = 0;
    for (const page_mark& m : marks) {
        total += m.seen_before;
    }
    if (total == 0) {
        return std::nullopt;
    }
    std::int64_t tail = 0;
    for (std::size_t i = marks.size(); i-- > 0;) {
        tail += marks[i].seen_before;
        if (tail * 10 >= total * 9) {
            // The stream a crossing skipped sits just behind the cursor of the page where the
            // crossing showed, on the page before it: that page is paged again too.
            return i > 0 ? i - 1 : 0;
        }
    }
    return 0;
}

pager::pager(platform_client& client, std::size_t expected, std::size_t max_streams,
             const bool& stopping)
    : client_(client), expected_(expected), max_streams_(max_streams), stopping_(stopping),
      seen_(expected + expected / 10), page_cap_(min_page_cap) {}

void pager::fail(std::string problem) {
    status_ = pages_ == 0 ? model::sweep_status::failed : model::sweep_status::partial;
    if (!problems_.empty()) {
        problems_ += "; ";
    }
    problems_ += problem;
}

boost::asio::awaitable<void> pager::run() {
    const std::size_t parts = max_streams_ > 0 ? 1 : client_.listing_parts();
    for (std::size_t part = 0; part < parts; ++part) {
        std::vector<page_mark> marks;
        const bool complete = co_await first_pass(parts == 1 ? whole_list : part, marks);
        if (!complete) {
            co_return;
        }
        if (max_streams_ == 0) {
            co_await second_pass(parts == 1 ? whole_list : part, marks);
        }
    }
}

boost::asio::awaitable<bool> pager::first_pass(std::size_t part, std::vector<page_mark>& marks) {
    page_guard guard;
    std::optional<std::string> cursor;
    bool retried = false; // the current page has been asked for twice
    for (;;) {
        if (stopping_) {
            fail("paging stopped: the collector is shutting down");
            co_return false;
        }
        if (static_cast<std::size_t>(pages_) >= page_cap_) {
            status_ = model::sweep_status::partial;
            fail("paging stopped at the cap of " + std::to_string(page_cap_) + " pages");
            co_return false;
        }
        const std::size_t limit = max_streams_ > 0 ? max_streams_ - seen_.size() : 0;
        const std::string where = "live streams page " + std::to_string(pages_ + 1);

        page_answer answer = co_await client_.list_page(part, cursor, limit);
        std::string anomaly;
        if (answer.result == page_answer::outcome::ok) {
            if (auto verdict = guard.check(answer.page); verdict != page_verdict::ok) {
                anomaly = where + ": " + to_string(verdict);
            }
        } else if (answer.result == page_answer::outcome::retry) {
            anomaly = where + ": " + answer.problem;
        } else {
            fail(where + ": " + answer.problem);
            co_return false;
        }
        if (!anomaly.empty()) {
            if (!retried) {
                spdlog::warn("{}; asking for the page once more", anomaly);
                retried = true;
                continue;
            }
            fail(anomaly + ", twice: paging stopped");
            co_return false;
        }

        retried = false;
        listing_page& page = answer.page;
        guard.accept(page);
        ++pages_;
        malformed_ += page.malformed;
        page_size_ = std::max(page_size_, page.streams.size());
        page_cap_ =
            std::max(min_page_cap, expected_ * 3 / 2 / std::max<std::size_t>(1, page_size_));
        const std::int32_t duplicates_before = seen_.duplicates();
        for (auto& stream : page.streams) {
            seen_.add(std::move(stream));
        }
        marks.push_back({cursor, seen_.duplicates() - duplicates_before});
        if (!page.cursor || (max_streams_ > 0 && seen_.size() >= max_streams_)) {
            co_return true;
        }
        cursor = std::move(page.cursor);
    }
}

boost::asio::awaitable<void> pager::second_pass(std::size_t part,
                                                const std::vector<page_mark>& marks) {
    const auto from = moved_stretch(marks);
    if (!from) {
        co_return; // the part held still
    }
    std::optional<std::string> cursor = marks[*from].cursor;
    page_guard guard; // its cursors are the first pass's again
    const std::size_t before = seen_.size();
    const std::int32_t repaged_before = repaged_;
    std::string problem;
    for (;;) {
        if (stopping_ || static_cast<std::size_t>(pages_) >= page_cap_) {
            problem = stopping_ ? "the collector is stopping" : "the page cap";
            break;
        }
        page_answer answer = co_await client_.list_page(part, cursor, 0);
        if (answer.result != page_answer::outcome::ok) {
            problem = answer.problem;
            break;
        }
        if (auto verdict = guard.check(answer.page); verdict != page_verdict::ok) {
            problem = to_string(verdict);
            break;
        }
        guard.accept(answer.page);
        ++pages_;
        ++repaged_;
        malformed_ += answer.page.malformed;
        for (auto& stream : answer.page.streams) {
            seen_.add_again(std::move(stream));
        }
        if (!answer.page.cursor) {
            break;
        }
        cursor = std::move(answer.page.cursor);
    }
    caught_again_ += seen_.size() - before;
    if (!problem.empty()) {
        spdlog::warn("the second pass over a moving stretch of the list stopped after {} pages: "
                     "{}",
                     repaged_ - repaged_before, problem);
    }
}

} // namespace streamscope::collector

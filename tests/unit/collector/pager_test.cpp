#include <algorithm>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include "collector/sweep/pager.hpp"

using namespace streamscope;
using namespace streamscope::collector;

namespace {

model::stream_observation stream(const std::string& id) {
    model::stream_observation s;
    s.platform_stream_id = id;
    s.platform_user_id = "u" + id;
    return s;
}

// A list served with position cursors, as Helix's behave: `move` runs before each page and may
// reorder the list, the way viewers shifting between pages do.
class moving_list : public platform_client {
public:
    explicit moving_list(std::vector<std::vector<std::string>> parts, std::size_t page_size)
        : parts_(std::move(parts)), page_size_(page_size) {}

    std::function<void(std::vector<std::string>& list, int request)> move;
    int requests = 0;
    std::vector<std::size_t> asked_parts;

    model::platform platform() const override { return model::platform::twitch; }
    std::size_t lookup_batch() const override { return 100; }
    std::size_t listing_parts() const override { return parts_.size(); }
    boost::asio::awaitable<page_answer>
    list_page(std::size_t part, const std::optional<std::string>& cursor, std::size_t) override {
        std::vector<std::string>& list = parts_.at(part == whole_list ? 0 : part);
        if (move) {
            move(list, requests);
        }
        ++requests;
        asked_parts.push_back(part);
        const std::size_t at = cursor ? std::stoul(*cursor) : 0;
        page_answer answer;
        answer.result = page_answer::outcome::ok;
        for (std::size_t i = at; i < std::min(list.size(), at + page_size_); ++i) {
            answer.page.streams.push_back(stream(list[i]));
        }
        if (at + page_size_ < list.size()) {
            answer.page.cursor = std::to_string(at + page_size_);
        }
        co_return answer;
    }
    boost::asio::awaitable<lookup_answer> look_up(std::span<const std::string>) override {
        co_return lookup_answer{};
    }
    std::int64_t enrichment_allowance() const override { return 0; }
    boost::asio::awaitable<void> enrich(const enrichment_plan&, std::int64_t,
                                        model::sweep&) override {
        co_return;
    }
    void stop_when(const bool&) override {}
    void cancel() override {}
    const api_counters& counters() const override { return counters_; }
    std::optional<std::chrono::system_clock::time_point> token_expires_at() const override {
        return std::nullopt;
    }

private:
    std::vector<std::vector<std::string>> parts_;
    std::size_t page_size_;
    api_counters counters_;
};

std::vector<std::string> ids(int from, int to) {
    std::vector<std::string> out;
    for (int i = from; i < to; ++i) {
        out.push_back(std::to_string(i));
    }
    return out;
}

void run(pager& p) {
    boost::asio::io_context io;
    auto done = boost::asio::co_spawn(io, p.run(), boost::asio::use_future);
    io.run();
    done.get();
}

std::vector<std::string> seen_ids(pager& p) {
    std::vector<std::string> out;
    for (const auto& s : p.seen().streams()) {
        out.push_back(s.platform_stream_id);
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE("the stretch that moved: from the page before the shortest tail with nine tenths of "
          "the duplicates",
          "[unit][sweep]") {
    CHECK_FALSE(moved_stretch({}).has_value());
    CHECK_FALSE(moved_stretch({{std::nullopt, 0}, {"1", 0}}).has_value());
    CHECK(moved_stretch({{std::nullopt, 0}, {"1", 0}, {"2", 5}, {"3", 4}}) == 1);
    CHECK(moved_stretch({{std::nullopt, 1}, {"1", 0}, {"2", 5}, {"3", 4}}) == 1); // 9 of 10
    CHECK(moved_stretch({{std::nullopt, 2}, {"1", 0}, {"2", 5}, {"3", 3}}) == 0);
    CHECK(moved_stretch({{std::nullopt, 3}, {"1", 0}}) == 0);
}

TEST_CASE("a list that holds still is paged once, every part of it", "[unit][sweep]") {
    moving_list list({ids(0, 25), ids(100, 107)}, 10);
    const bool stopping = false;
    pager p{list, 0, 0, stopping};
    run(p);
    CHECK(p.status() == model::sweep_status::complete);
    CHECK(p.pages() == 4);
    CHECK(p.repaged() == 0);
    CHECK(p.seen().size() == 32);
    CHECK(p.seen().duplicates() == 0);
    CHECK(list.asked_parts == std::vector<std::size_t>{0, 0, 0, 1});
}

TEST_CASE("streams lost where the list moved are caught by the second pass", "[unit][sweep]") {
    // 30 streams, pages of 10: the tail re-sorts by a place or two while it is paged.
    moving_list list({ids(0, 30)}, 10);
    list.move = [](std::vector<std::string>& l, int request) {
        const auto move = [&l](const std::string& id, int by) {
            const auto from = std::find(l.begin(), l.end(), id) - l.begin();
            const std::string moving = l[static_cast<std::size_t>(from)];
            l.erase(l.begin() + from);
            l.insert(l.begin() + from + by, moving);
        };
        if (request == 1) {
            move("11", -2); // up across the cursor (10): "11" is missed, "9" seen twice
        }
        if (request == 2) {
            move("5", +20); // down across it (20): "5" seen twice, "20" falls behind it
        }
    };
    const bool stopping = false;
    pager p{list, 0, 0, stopping};
    run(p);
    CHECK(p.status() == model::sweep_status::complete);
    CHECK(p.seen().duplicates() == 2); // on pages 2 and 3
    CHECK(p.repaged() == 3);           // from the page before the first of them: all of it
    CHECK(p.caught_again() == 2);      // "11" and "20"
    CHECK(seen_ids(p) == [] {
        auto all = ids(0, 30);
        std::sort(all.begin(), all.end());
        return all;
    }());
}

TEST_CASE("only the head is wanted: one list, no second pass", "[unit][sweep]") {
    moving_list list({ids(0, 30), ids(100, 110)}, 10);
    list.move = [](std::vector<std::string>& l, int request) {
        if (request == 1) {
            std::rotate(l.begin(), l.begin() + 25, l.begin() + 26);
        }
    };
    const bool stopping = false;
    pager p{list, 0, 15, stopping};
    run(p);
    CHECK(p.pages() == 2);
    CHECK(p.repaged() == 0);
    CHECK(list.asked_parts == std::vector<std::size_t>{whole_list, whole_list});
}

#pragma once
// Finding channels not watched yet (YOUTUBE_DISCOVERY_QUERIES): search.list for live videos
// matching each query in turn, from its own bucket of calls (YOUTUBE_SEARCH_DAILY_CALLS, 100 a
// day by default), spread evenly over the day; the channels whose live video has at least
// YOUTUBE_DISCOVERY_MIN_VIEWERS viewers join the watchlist as discovered, and their live video
// is a candidate of the same sweep. Their viewer counts cost a unit per 50 videos, their
// handles a unit per 50 channels.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "collector/youtube/data_api.hpp"
#include "collector/youtube/settings.hpp"

namespace streamscope::collector {
class sweep_store;
}

namespace streamscope::youtube {

struct search_hit {
    std::string video_id;
    std::string channel_id;
};

// The video results of a search.list answer; records that are not videos or lack an id are
// skipped. Throws collector::malformed_field when the answer has no `items` array.
std::vector<search_hit> read_search(const boost::json::value& answer);

// How long between two search.list calls so that `calls_a_day` last the day with a tenth to
// spare (for retries and another process's calls): 24 h / (0.9 × calls_a_day), at least a
// minute.
std::chrono::seconds search_spacing(std::int64_t calls_a_day);

class discovery {
public:
    // `api` and `settings` must outlive it.
    discovery(data_api& api, const youtube_settings& settings);

    // When the next search is due: runs the next query and adds what it found. Problems are
    // logged; nothing throws but credentials_rejected.
    boost::asio::awaitable<void> run_if_due(collector::sweep_store& store);

    std::int64_t added_total() const { return added_total_; }

private:
    data_api& api_;
    const youtube_settings& settings_;
    std::chrono::steady_clock::time_point next_{};
    std::size_t next_query_ = 0;
    std::int64_t added_total_ = 0;
};

} // namespace streamscope::youtube

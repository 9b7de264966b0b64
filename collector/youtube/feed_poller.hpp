#pragma once
// Finding the new videos of the watched channels without spending quota: each channel's Atom
// feed (its 15 newest videos, live and upcoming broadcasts among them) is asked once a cycle,
// the requests spread evenly over half the collection interval and never faster than
// YOUTUBE_FEED_REQUESTS_PER_SECOND, slower while youtube.com answers 429. A feed that fails is
// replaced by the channel's uploads playlist (playlistItems.list, a unit of quota), rationed
// so that failing feeds cannot spend the day's quota. Video ids not seen before become the next
// sweep's candidates (tracking.hpp).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "collector/youtube/data_api.hpp"
#include "collector/youtube/feed_schedule.hpp"
#include "collector/youtube/settings.hpp"
#include "collector/youtube/tracking.hpp"
#include "common/http/client.hpp"

namespace streamscope::collector {
class sweep_store;
}

namespace streamscope::youtube {

class feed_poller {
public:
    // `feeds` is the feed host's client; `api` pays for the playlist fallback. All must
    // outlive the poller.
    feed_poller(http::client& feeds, data_api& api, const youtube_settings& settings,
                std::chrono::milliseconds interval);

    // Polls the watchlist's feeds, cycle after cycle, until `stopping`: while the store is
    // set (this collector leads YouTube), else it waits for it.
    boost::asio::awaitable<void> run(const bool& stopping);

    // One pass over every watched channel at the politeness rate, for a sweep that has no
    // poller running beside it (--once).
    boost::asio::awaitable<void> poll_all(const bool& stopping);

    void use_store(collector::sweep_store* store) { store_ = store; }

    // Since start: feeds asked, feeds that failed, playlist fallbacks, new videos found.
    struct counts {
        std::int64_t feeds = 0;
        std::int64_t failed = 0;
        std::int64_t throttled = 0;
        std::int64_t fallbacks = 0;
        std::int64_t found = 0;
    };
    const counts& totals() const { return totals_; }

private:
    boost::asio::awaitable<void> cycle(std::chrono::milliseconds planned_spacing,
                                       const bool& stopping);
    boost::asio::awaitable<void> poll(const watched_channel& channel);
    // The feed's video ids; nullopt when it failed (why: in `problem`). A 429 counts as
    // neither: `throttled` is set.
    boost::asio::awaitable<std::optional<std::vector<std::string>>>
    read_feed(const std::string& channel_id, bool& throttled, std::string& problem);
    boost::asio::awaitable<std::optional<std::vector<std::string>>>
    read_uploads(const std::string& channel_id, std::string& problem);
    bool take_fallback_unit();

    http::client& feeds_;
    data_api& api_;
    const youtube_settings& settings_;
    std::chrono::milliseconds interval_;
    collector::sweep_store* store_ = nullptr;
    slowdown pace_;
    bool said_rate_bound_ = false;
    std::chrono::steady_clock::time_point said_throttled_at_{};
    // The playlist fallback's ration: a fifth of the daily quota, spread over the day.
    double fallback_units_ = 0;
    std::chrono::steady_clock::time_point fallback_refilled_;
    bool said_rationed_ = false;
    counts totals_;
};

} // namespace streamscope::youtube

#pragma once
// YouTube as the mock serves it: the Data API v3 under /youtube/v3/ (videos, channels,
// playlistItems, search: an API key, Google's quota and errors, fault injection), the channels'
// Atom feeds under /feeds/ (no key, a per-client politeness limit, per-channel failures) and
// its admin API under /_mock/youtube/, over a world whose clock runs `time_scale` simulated
// seconds per real second. The mock's top-level service (service.hpp) hands it every request
// whose path owns() says is YouTube's. Single-threaded: call it from one thread only. Nothing
// throws for bad input; bugs and std::bad_alloc propagate.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>
#include <boost/url/url_view.hpp>

#include "common/time/timestamp.hpp"
#include "tests/platform_mock/exchange.hpp"
#include "tests/platform_mock/faults.hpp"
#include "tests/platform_mock/traffic_stats.hpp"
#include "tests/platform_mock/youtube/feed_limit.hpp"
#include "tests/platform_mock/youtube/quota.hpp"
#include "tests/platform_mock/youtube/websub_hub.hpp"
#include "tests/platform_mock/youtube/world.hpp"

namespace streamscope::platform_mock::youtube {

struct service_config {
    world_options world;
    // Each valid key has a quota ledger of its own (one key = one Google Cloud project).
    std::vector<std::string> api_keys{"mock-youtube-api-key"};
    quota_settings quota;
    // Simulated seconds per real second; 0 stops the clock (only the admin API moves it).
    double time_scale = 1.0;
    std::uint32_t feed_requests_per_second = 5; // per client address; 0: none
    std::vector<fault_rule> faults;
    // The simulated clock's start: wall time at start-up by default.
    std::optional<time::timestamp> fixed_start;
};

// Where a fault rule applies when it names no path; "/feeds/" for the feeds. YouTube's rules
// match the path with its query string, so "/feeds/videos.xml?channel_id=UC..." is one channel.
inline constexpr std::string_view default_fault_path = "/youtube/v3/";

class service {
public:
    // Builds the world.
    explicit service(service_config config);

    // Whether `path` is YouTube's: /youtube/..., /feeds/... or /_mock/youtube/...
    static bool owns(std::string_view path);

    // `target` is the request target parsed as origin-form; owns(target->path()) holds.
    reply handle(const request& req, const boost::system::result<boost::urls::url_view>& target);

    // The simulated time now.
    time::timestamp now() const;

    // The WebSub hub's requests to make now, and what each one's callback answered.
    std::vector<outgoing_call> take_outgoing() { return hub_.take_outgoing(); }
    void answered(std::uint64_t id, unsigned status, std::string_view body) {
        hub_.answered(id, status, body);
    }

private:
    struct call;
    struct route;
    static const route routes[];

    reply guarded(const route& r, const call& c);
    reply api_call(const route& r, const call& c);
    reply feed_call(const call& c);

    reply videos(const call& c);
    reply channels(const call& c);
    reply playlist_items(const call& c);
    reply search(const call& c);
    reply feed(const call& c);
    reply admin_world(const call& c);
    reply admin_channel(const call& c);
    reply admin_advance_clock(const call& c);
    reply admin_quota(const call& c);
    reply admin_set_quota(const call& c);
    reply admin_reset_quota(const call& c);
    reply admin_stats(const call& c);
    reply admin_reset_stats(const call& c);
    reply admin_add_faults(const call& c);
    reply admin_list_faults(const call& c);
    reply admin_clear_faults(const call& c);
    reply websub_subscribe(const call& c);
    reply admin_websub(const call& c);
    reply admin_websub_push(const call& c);
    // Tells the hub about the channel's current broadcast (else its newest upload).
    std::size_t notify_hub(const channel& ch);

    service_config config_;
    time::timestamp start_;
    std::chrono::steady_clock::time_point started_;
    std::chrono::microseconds advanced_{0}; // by the admin API
    world world_;
    quota_ledger ledger_;
    feed_limit feed_limit_;
    fault_table faults_;
    websub_hub hub_;

    traffic_stats traffic_;
    std::map<std::string, std::uint64_t, std::less<>> feed_requests_; // by channel_id
    std::uint64_t invalid_keys_ = 0;
    std::uint64_t quota_refused_ = 0;
    std::uint64_t feeds_limited_ = 0;
};

} // namespace streamscope::platform_mock::youtube

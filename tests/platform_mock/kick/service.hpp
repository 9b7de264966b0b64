#pragma once
// Kick as the mock serves it: id.kick.com's client-credentials grant (POST /oauth/token), the
// public API's livestream endpoints (/public/...: bearer tokens, an unpublished rate limit,
// fault injection) and its admin API under /_mock/kick/, over its own world listed oldest
// first. The mock's top-level service (service.hpp) hands it every request whose path owns()
// says is Kick's. Single-threaded: call it from one thread only. Nothing throws for bad input;
// bugs and std::bad_alloc propagate.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>
#include <boost/url/url_view.hpp>

#include "common/time/timestamp.hpp"
#include "tests/platform_mock/exchange.hpp"
#include "tests/platform_mock/faults.hpp"
#include "tests/platform_mock/kick/livestreams.hpp"
#include "tests/platform_mock/kick/rate_limit.hpp"
#include "tests/platform_mock/rng.hpp"
#include "tests/platform_mock/tokens.hpp"
#include "tests/platform_mock/traffic_stats.hpp"
#include "tests/platform_mock/world.hpp"

namespace streamscope::platform_mock::kick {

// Whether a 429 says Retry-After: Kick's docs do not say, so collectors must cope with both.
enum class retry_after_mode { on, off, random };

struct service_config {
    // Smaller than Twitch: the one public figure is about 2,000 live channels (2023).
    world_options world{
        .order = world_order::by_start, .streams = 2000, .channels = 4000, .games = 200};
    std::string client_id = "mock-kick-client-id";
    std::string client_secret = "mock-kick-client-secret";
    // Kick publishes none; a maintainer spoke of "100pm" (platform-apis.md §2.4). 0: none.
    std::uint32_t rate_limit_per_minute = 100;
    retry_after_mode retry_after = retry_after_mode::random;
    bool churn = false; // advance the world one tick before each v2 page
    listing_settings listing;
    std::vector<fault_rule> faults;
    // As Twitch's: wall time by default; with a fixed start, start + 1 s per tick.
    std::optional<time::timestamp> fixed_start;
};

// Where a fault rule applies when it names no path (OAuth needs "path":"/oauth/").
inline constexpr std::string_view default_fault_path = "/public/";

// Kick's app tokens: 48 upper-case letters and digits. Their lifetime is not documented; an
// hour makes a long-running collector renew.
inline constexpr token_style kick_tokens{"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 48, 3600};

class service {
public:
    // Builds the world.
    explicit service(service_config config);

    // Whether `path` is Kick's: /oauth/..., /public/... or /_mock/kick/...
    static bool owns(std::string_view path);

    // `target` is the request target parsed as origin-form; owns(target->path()) holds.
    reply handle(const request& req, const boost::system::result<boost::urls::url_view>& target);

private:
    struct call;
    struct route;
    static const route routes[];

    time::timestamp world_now() const;
    reply guarded(const route& r, const call& c);
    std::optional<reply> authenticate(const request& req) const;
    reply too_many_requests(std::chrono::seconds retry_after);
    page_context page(const call& c, bool churn);

    reply oauth_token(const call& c);
    reply list_livestreams(const call& c);
    reply users_livestreams(const call& c);
    reply livestreams_stats(const call& c);
    reply admin_add_faults(const call& c);
    reply admin_list_faults(const call& c);
    reply admin_clear_faults(const call& c);
    reply admin_world(const call& c);
    reply admin_tick(const call& c);
    reply admin_stats(const call& c);
    reply admin_revoke_tokens(const call& c);

    service_config config_;
    world world_;
    token_registry tokens_;
    sliding_window_limit limit_;
    fault_table faults_;
    std::uint64_t instance_;
    rng random_; // Retry-After at random, which record breaks, random last pages

    traffic_stats traffic_;
    std::uint64_t rate_limited_ = 0;
    std::uint64_t retry_after_sent_ = 0;
    std::vector<corrupted_record> corrupted_; // the first max_corrupted_listed
    std::uint64_t corrupted_total_ = 0;
};

} // namespace streamscope::platform_mock::kick

#pragma once
// Twitch as the mock serves it: id.twitch.tv's OAuth, Helix (authentication, the rate limit,
// fault injection) and its /_mock admin API, over its own world. The mock's top-level service
// (service.hpp) hands it every request that is not another platform's. Single-threaded: call
// it from one thread only. Nothing throws for bad input; bugs and std::bad_alloc propagate.

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
#include "tests/platform_mock/tokens.hpp"
#include "tests/platform_mock/traffic_stats.hpp"
#include "tests/platform_mock/twitch/helix_api.hpp"
#include "tests/platform_mock/twitch/rate_limit.hpp"
#include "tests/platform_mock/world.hpp"

namespace streamscope::platform_mock::twitch {

struct service_config {
    world_options world;
    std::string client_id = "mock-client-id";
    std::string client_secret = "mock-client-secret";
    std::uint32_t rate_limit_per_minute = 800; // 0: unlimited
    bool churn = false;
    bool followers_forbidden = false;
    std::vector<fault_rule> faults;
    // The world's clock: wall time by default; with a fixed start, start + 1 s per tick, which
    // makes every started_at reproducible.
    std::optional<time::timestamp> fixed_start;
};

// Where a fault rule applies when it names no path.
inline constexpr std::string_view default_fault_path = "/helix/";

class service {
public:
    // Builds the world (which can take a few seconds for a large population).
    explicit service(service_config config);

    // `target` is the request target parsed as origin-form (an error when it is not).
    reply handle(const request& req, const boost::system::result<boost::urls::url_view>& target);

private:
    struct call;
    struct route;
    static const route routes[];

    time::timestamp world_now() const;
    reply guarded(const route& r, const call& c);
    std::optional<reply> authenticate(const request& req) const;

    reply oauth_token(const call& c);
    reply oauth_validate(const call& c);
    reply helix_streams(const call& c);
    reply helix_users(const call& c);
    reply helix_games(const call& c);
    reply helix_followers(const call& c);
    reply admin_add_faults(const call& c);
    reply admin_list_faults(const call& c);
    reply admin_clear_faults(const call& c);
    reply admin_world(const call& c);
    reply admin_tick(const call& c);
    reply admin_stats(const call& c);

    service_config config_;
    world world_;
    token_registry tokens_;
    token_bucket bucket_;
    fault_table faults_;
    std::uint64_t instance_;
    filtered_list last_filtered_;

    traffic_stats traffic_;
    std::uint64_t rate_limited_ = 0;
};

} // namespace streamscope::platform_mock::twitch

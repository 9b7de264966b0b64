#pragma once
// Everything the mock does with a request short of the network: the route table, OAuth,
// Helix authentication, the rate limit, fault injection and the /_mock admin API. The server
// (server.hpp) hands it each request and carries out the reply. Single-threaded: call it from
// one thread only. Nothing throws for bad input; bugs and std::bad_alloc propagate.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/time/timestamp.hpp"
#include "tests/platform_mock/exchange.hpp"
#include "tests/platform_mock/faults.hpp"
#include "tests/platform_mock/rate_limit.hpp"
#include "tests/platform_mock/tokens.hpp"
#include "tests/platform_mock/world.hpp"

namespace streamscope::platform_mock {

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

class service {
public:
    // Builds the world (which can take a few seconds for a large population).
    explicit service(service_config config);

    reply handle(const request& req);

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
    reply admin_shutdown(const call& c);

    service_config config_;
    world world_;
    token_registry tokens_;
    token_bucket bucket_;
    fault_table faults_;
    std::uint64_t instance_;

    std::map<std::string, std::uint64_t, std::less<>> requests_by_path_;
    std::map<unsigned, std::uint64_t> responses_by_status_;
    std::uint64_t rate_limited_ = 0;
};

} // namespace streamscope::platform_mock

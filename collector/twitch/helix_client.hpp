#pragma once
// Calls to the Helix API: one shared rate budget, the app token, bounded retries with backoff
// for what is worth retrying (5xx, timeouts, resets, truncated or invalid bodies, 429 after the
// reset time), one new token and one more try on 401. What is left is a typed reply: the body,
// or why there is none.

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "collector/twitch/rate_budget.hpp"
#include "collector/twitch/token_source.hpp"
#include "common/http/client.hpp"
#include "common/time/backoff.hpp"

namespace streamscope::twitch {

using query = std::vector<std::pair<std::string, std::string>>;

struct helix_reply {
    enum class outcome {
        ok,          // 2xx with a JSON body
        refused,     // a 4xx other than 401 and 429: the request itself is wrong (or forbidden)
        unavailable, // still failing after the retries
    };
    outcome result = outcome::ok;
    unsigned status = 0;     // the last HTTP status; 0 when no response arrived
    boost::json::value body; // outcome::ok only
    std::string problem;     // why not ok: status and Twitch's message, or the transport error

    bool ok() const { return result == outcome::ok; }
};

struct helix_counters {
    std::int64_t requests = 0;                        // sent to Helix, including retries
    std::int64_t retries = 0;                         // of which repeated a failed request
    std::int64_t throttled = 0;                       // 429s received
    std::map<unsigned, std::int64_t> by_status;       // responses by HTTP status; 0: none arrived
    std::optional<std::int64_t> rate_limit_remaining; // from the last response's headers
};

class helix_client {
public:
    helix_client(http::client& api, token_source& tokens, time::backoff_policy retry,
                 int max_throttled_per_call = 10);

    // GET <base>/<path>?<query>, every value percent-encoded (cursors hold '+', '/', '=').
    // `may_be_forbidden`: the endpoint may refuse app tokens (Get Channel Followers wants a
    // user token), so a 401 that a new token does not cure is a refusal, not bad credentials.
    boost::asio::awaitable<helix_reply> get(std::string_view path, const query& params,
                                            bool may_be_forbidden = false);

    // From now on, calls return `unavailable` at once when `stopping` is true, and waits
    // (pacing, backoff, a 429's reset) end early: a shutdown does not wait for Twitch.
    void stop_when(const bool& stopping) { stopping_ = &stopping; }

    const helix_counters& counters() const { return counters_; }
    const rate_budget& budget() const { return budget_; }

private:
    std::string target(std::string_view path, const query& params) const;

    http::client& api_;
    token_source& tokens_;
    time::backoff_policy retry_;
    int max_throttled_per_call_;
    rate_budget budget_;
    helix_counters counters_;
    std::minstd_rand random_{std::random_device{}()};
    const bool* stopping_ = nullptr;
    static constexpr bool never = false;
};

} // namespace streamscope::twitch

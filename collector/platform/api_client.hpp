#pragma once
// Calls to a platform's JSON API (Helix, Kick's public API): paced by the platform's pacer,
// authenticated with the app token, with bounded retries and backoff for what is worth
// retrying (5xx, timeouts, resets, truncated or invalid bodies, 429 after the wait the pacer
// sets), and one new token and one more try on 401. What is left is a typed reply: the body, or
// why there is none.

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

#include "collector/platform/oauth_token_source.hpp"
#include "collector/platform/pacer.hpp"
#include "common/http/client.hpp"
#include "common/time/backoff.hpp"

namespace streamscope::collector {

using query = std::vector<std::pair<std::string, std::string>>;

struct api_reply {
    enum class outcome {
        ok,          // 2xx with a JSON body
        refused,     // a 4xx other than 401 and 429: the request itself is wrong (or forbidden)
        unavailable, // still failing after the retries
    };
    outcome result = outcome::ok;
    unsigned status = 0;     // the last HTTP status; 0 when no response arrived
    boost::json::value body; // outcome::ok only
    std::string problem; // why not ok: status and the platform's message, or the transport error

    bool ok() const { return result == outcome::ok; }
};

struct api_counters {
    std::int64_t requests = 0;                        // sent, including retries
    std::int64_t retries = 0;                         // of which repeated a failed request
    std::int64_t throttled = 0;                       // 429s received
    std::map<unsigned, std::int64_t> by_status;       // responses by HTTP status; 0: none arrived
    std::optional<std::int64_t> rate_limit_remaining; // as the platform last reported it
};

class api_client {
public:
    // `name` names the API in log lines ("Helix"); `headers` go with every request besides
    // the bearer token (Twitch wants Client-Id).
    api_client(std::string name, http::client& api, oauth_token_source& tokens, pacer& pace,
               time::backoff_policy retry,
               std::vector<std::pair<std::string, std::string>> headers = {},
               int max_throttled_per_call = 10);

    // GET <base>/<path>?<query>, every value percent-encoded (cursors hold '+', '/', '=').
    // `may_be_forbidden`: the endpoint may refuse app tokens (Get Channel Followers wants a
    // user token), so a 401 that a new token does not cure is a refusal, not bad credentials.
    // Throws credentials_rejected when a freshly issued token is refused.
    boost::asio::awaitable<api_reply> get(std::string_view path, const query& params,
                                          bool may_be_forbidden = false);

    // From now on, calls return `unavailable` at once when `stopping` is true, and waits
    // (pacing, backoff, a 429's reset) end early: a shutdown does not wait for the platform.
    void stop_when(const bool& stopping) { stopping_ = &stopping; }

    const api_counters& counters() const { return counters_; }
    const pacer& pace() const { return pace_; }
    const std::string& name() const { return name_; }

private:
    std::string target(std::string_view path, const query& params) const;

    std::string name_;
    http::client& api_;
    oauth_token_source& tokens_;
    pacer& pace_;
    time::backoff_policy retry_;
    std::vector<std::pair<std::string, std::string>> headers_;
    int max_throttled_per_call_;
    api_counters counters_;
    std::minstd_rand random_{std::random_device{}()};
    const bool* stopping_ = nullptr;
    static constexpr bool never = false;
};

} // namespace streamscope::collector

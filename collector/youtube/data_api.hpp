#pragma once
// Calls to the YouTube Data API: the key as a query parameter (never in a log line), every
// attempt paid for in the quota ledger first (YouTube charges each request, failed ones too),
// bounded retries with backoff for what is worth retrying (5xx, timeouts, resets, bad bodies,
// short-term rate limits), and Google's errors read for what they mean: a key YouTube refuses
// ends YouTube's collection (credentials_rejected), a spent quota ends it for the quota day.

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "collector/platform/api_client.hpp"
#include "common/config/secret.hpp"
#include "common/http/client.hpp"
#include "common/time/backoff.hpp"

namespace streamscope::youtube {

struct data_reply {
    enum class outcome {
        ok,             // 2xx with a JSON object
        quota_spent,    // our ledger holds no unit for the call: nothing was sent
        quota_exceeded, // YouTube said the day's quota is spent (another app on the key)
        refused,        // a 4xx that says our request is wrong, or not found
        unavailable,    // still failing after the retries, or the collector is stopping
    };
    outcome result = outcome::unavailable;
    unsigned status = 0;
    boost::json::value body; // ok only
    std::string problem;     // why not ok, for a log line (no key in it)

    bool ok() const { return result == outcome::ok; }
};

// Pays for one attempt of `method` ("videos.list"): true when the ledger had the unit.
using quota_gate = std::function<boost::asio::awaitable<bool>(std::string_view method)>;

class data_api {
public:
    // `api`'s base path is the API's (/youtube/v3); `key` must outlive this.
    data_api(http::client& api, const config::secret& key, quota_gate pay,
             time::backoff_policy retry);

    // GET <base><path>?<params>&key=.. for `method`'s quota. Throws
    // collector::credentials_rejected when YouTube refuses the key.
    boost::asio::awaitable<data_reply> get(std::string_view path, std::string_view method,
                                           const collector::query& params);

    void stop_when(const bool& stopping) { stopping_ = &stopping; }
    const collector::api_counters& counters() const { return counters_; }

private:
    http::client& api_;
    const config::secret& key_;
    quota_gate pay_;
    time::backoff_policy retry_;
    collector::api_counters counters_;
    std::minstd_rand random_{std::random_device{}()};
    const bool* stopping_ = nullptr;
    static constexpr bool never = false;
};

} // namespace streamscope::youtube

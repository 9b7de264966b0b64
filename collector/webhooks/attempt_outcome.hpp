#pragma once
// What becomes of a webhook delivery after one attempt: delivered (2xx), retried later per the
// retry schedule (retry_schedule.hpp), or failed for good, which disables its subscription
// with a reason that says what to do (a 410 Gone, a target that may not be contacted, a day of
// failures). Pure: the caller passes the time since the first attempt and the randomness.

#include <chrono>
#include <optional>
#include <string>

namespace streamscope::webhooks {

// How one attempt ended.
struct attempt_result {
    std::optional<unsigned> status; // the HTTP status (250 for mail the relay took); none: no
                                    // answer
    std::string error;              // why it failed ("" when delivered): never holds a secret
    std::optional<std::chrono::seconds> retry_after; // the answer's Retry-After
    bool permanent = false; // retrying cannot help (a refused target, a relay's 5xx)
    std::chrono::milliseconds duration{0};
};

struct next_step {
    enum class kind { delivered, retry, failed };
    kind what = kind::retry;
    std::chrono::milliseconds wait{0}; // retry: until the next attempt
    std::string disable_reason;        // failed: why the subscription is disabled
};

// The step after attempt number `attempt` (1: the first), `since_first` after the first
// attempt started. `scale` (WEBHOOK_RETRY_SCALE, 1 in production) multiplies the whole
// schedule, its 24 h window included, so that tests can run a day of retries in seconds.
next_step decide(const attempt_result& r, int attempt, std::chrono::milliseconds since_first,
                 double draw, double scale = 1.0);

} // namespace streamscope::webhooks

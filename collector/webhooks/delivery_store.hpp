#pragma once
// The deliveries' table side of dispatch: which deliveries are due (each subscription's
// oldest pending one, when its time has come: one at a time per subscription, in order), and
// what an attempt did (webhook_attempts, the delivery's state, and the subscription disabled
// when it failed for good). Blocking: run on a database thread.

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "collector/webhooks/attempt_outcome.hpp"
#include "common/webhooks/subscription.hpp"

namespace streamscope::webhooks {

struct due_delivery {
    std::int64_t id = 0;
    std::int64_t webhook_id = 0;
    std::int64_t event_id = 0;
    std::string payload;
    int attempts = 0;                         // made before this one
    std::chrono::milliseconds since_first{0}; // since the first attempt started (0: none yet)
    std::string url;
    target_format format = target_format::json;
    std::string secret;
};

// At most `limit` due deliveries, the longest due first, none of the subscriptions in `busy`
// (those with an attempt in flight).
std::vector<due_delivery> claim_due(pqxx::connection& c, std::size_t limit,
                                    const std::set<std::int64_t>& busy);

// Records an attempt at `d` that ended as `result`, then `step`: the attempt's row, the
// delivery's new state (delivered, pending until the next attempt, or failed) and, when it
// failed, the subscription disabled with the step's reason.
void record_attempt(pqxx::connection& c, const due_delivery& d, const attempt_result& result,
                    const next_step& step);

// The deliveries in each state, for /metrics.
struct delivery_counts {
    std::int64_t pending = 0;
    std::int64_t delivered = 0;
    std::int64_t failed = 0;
};
delivery_counts count_deliveries(pqxx::connection& c);

} // namespace streamscope::webhooks

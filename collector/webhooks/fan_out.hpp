#pragma once
// Fan-out: the events after the webhook cursor become deliveries, one for each enabled
// subscription whose types and filters match (common/webhooks/subscription.hpp), its payload
// rendered for the subscription's format; the cursor moves past them in the same transaction,
// so that an event is fanned out once whatever fails or restarts. Blocking: run it on a
// database thread.

#include <cstddef>

#include <pqxx/connection>

namespace streamscope::webhooks {

struct fan_out_result {
    std::size_t events = 0;     // read after the cursor
    std::size_t deliveries = 0; // inserted
};

// Reads at most `batch` events after the cursor and inserts their deliveries. Throws pqxx
// exceptions when the database fails (nothing is changed then).
fan_out_result fan_out(pqxx::connection& c, std::size_t batch);

} // namespace streamscope::webhooks

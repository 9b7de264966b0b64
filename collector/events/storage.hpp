#pragma once
// The collector's side of the `events` table (sql/migrations/0018_events.sql) besides the
// write, which the sweep writer does: the view of a platform as the database holds it, and
// the expiry of old events. SQL lives here, next to the code that owns it.

#include <chrono>
#include <optional>

#include <pqxx/connection>

#include "collector/events/rules.hpp"
#include "collector/events/stream_view.hpp"
#include "common/model/platform.hpp"

namespace streamscope::collector::events {

// The start of the platform's newest stored sweep; nullopt when it has none.
std::optional<time::timestamp> newest_sweep(pqxx::connection& conn, model::platform platform);

// The view that follows the platform's newest stored sweep: its open broadcasts as last
// stored (the count and time of their last snapshot), and the top lists of that sweep when it
// was complete. One pass over the open broadcasts (about a second for 100,000).
stream_view load_view(pqxx::connection& conn, model::platform platform, const event_rules& rules);

// Deletes events older than `keep`; returns how many.
long long expire_events(pqxx::connection& conn, std::chrono::hours keep);

} // namespace streamscope::collector::events

#pragma once
// A platform's events, sweep by sweep, for its store: derives a sweep's events against the
// view of the platform's newest stored sweep (loading it when the view does not follow that
// sweep: the first write, a take-over, a spool replayed), and advances the view once the sweep
// is stored. Runs on the store's database thread.

#include <optional>

#include <pqxx/connection>

#include "collector/events/derive.hpp"
#include "collector/events/rules.hpp"
#include "collector/events/stream_view.hpp"

namespace streamscope::collector::events {

class sweep_events {
public:
    explicit sweep_events(event_rules rules) : rules_(std::move(rules)) {}

    // The events of `sweep`, which is about to be written. A sweep no newer than the newest
    // stored one (history: a spooled sweep replayed late, one another collector wrote) has
    // none. A failure other than a lost connection is logged and costs only the events.
    derivation prepare(pqxx::connection& conn, const model::sweep& sweep);

    // `sweep` was stored with the events `prepare` gave.
    void stored(const model::sweep& sweep, derivation&& derived);

private:
    event_rules rules_;
    std::optional<stream_view> view_; // nullopt until loaded
};

} // namespace streamscope::collector::events

#pragma once
// The write path: persists one whole sweep atomically. Channels, games and broadcasts are
// upserted only where something changed; snapshots are appended; the sweep row records how
// complete the sweep was. A crash leaves all of it or none of it.

#include <cstdint>
#include <span>

#include <pqxx/connection>

#include "common/model/event.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::db {

struct write_result {
    bool stored = false; // false: a sweep of this platform with this started_at already exists
    std::int32_t sweep_id = 0;
    std::int64_t new_channels = 0;
    std::int64_t new_streams = 0;
    std::int64_t state_changes = 0; // broadcasts whose title, game, tags or thumbnail changed
    std::int64_t snapshots = 0;
    std::int64_t events = 0;
};

class sweep_writer {
public:
    // The writer uses `conn` for each write; it does not own it. Not thread-safe: one writer
    // per connection.
    explicit sweep_writer(pqxx::connection& conn) : conn_(conn) {}

    // Stores the sweep and its events in one transaction and notifies channel
    // `streamscope_sweep` (payload "<platform>:<sweep id>") on commit, and `streamscope_events`
    // (payload: the newest event id) when there were events. Writing a sweep that is already
    // stored (same platform and started_at) changes nothing and returns stored = false. Each
    // stream must appear once. Throws pqxx exceptions on database failure, after which nothing
    // of the sweep is stored.
    write_result write(const model::sweep& sweep, std::span<const model::event> events = {});

private:
    pqxx::connection& conn_;
};

} // namespace streamscope::db

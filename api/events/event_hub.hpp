#pragma once
// The events of every sweep (sql/migrations/0018_events.sql), read once by this server and
// shared by every live feed on it: a poller reads new events from the database four times a
// second, renders each once (the SSE frame, which holds the JSON that WebSockets send), and
// keeps the newest in a ring bounded in events and bytes. A feed is a cursor over the ring
// (no queue of its own: an idle feed costs its connection and a few pointers); one whose cursor
// the ring has dropped is too slow and is cut off, and resumes from the database.

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <pqxx/result>

#include "common/db/pool.hpp"

namespace streamscope::api {

// One event as every feed sends it.
struct rendered_event {
    std::int64_t id = 0;
    std::string type;
    std::string platform;
    std::string channel_lower; // what filters compare, once per event
    std::string game_id;
    std::string game_name_lower;
    std::optional<std::int64_t> viewers;
    // "id: N\nevent: TYPE\ndata: JSON\n\n"; json() is the JSON within it (a WebSocket message).
    std::string sse;
    std::size_t json_at = 0;
    std::size_t json_size = 0;
    std::string_view json() const { return std::string_view(sse).substr(json_at, json_size); }
};
using event_ptr = std::shared_ptr<const rendered_event>;

// The events table's columns the feeds read, in this order (append WHERE/ORDER BY/LIMIT).
extern const char* const event_columns_sql;
// One row of event_columns_sql, rendered.
event_ptr render_event(const pqxx::row& row);

struct event_hub_settings {
    std::size_t max_events = 20'000;
    std::size_t max_bytes = 32u << 20;
    std::chrono::milliseconds poll_every{250};
};

class event_hub {
public:
    // `db`: the poller's own connection (a pool of one), not the clients'.
    event_hub(db::pool& db, event_hub_settings settings);

    // Polls on a strand of `executor` until stop(), starting after the newest stored event.
    void start(boost::asio::io_context::executor_type executor);
    // Thread-safe: the poller ends, and every feed waiting for events wakes up to end too.
    void stop();
    bool stopped() const;

    // Events after id `after` in the ring, in order, at most `max`. `behind`: the ring no
    // longer holds (or never held) every event after `after`: the caller reads them from the
    // database, or, if it was keeping up, was too slow.
    struct slice {
        std::vector<event_ptr> events;
        bool behind = false;
    };
    slice after(std::int64_t after, std::size_t max) const;

    // The newest event id the ring has seen (0 before the first poll).
    std::int64_t newest() const;
    // Whether the first poll has told the newest stored event.
    bool ready() const;

    // Returns when an event after `after` is in the ring, stop() was called, or `timeout`
    // passed. On a strand (every session runs on one), so that a wake-up cannot be missed.
    boost::asio::awaitable<void> wait_after(std::int64_t after,
                                            std::chrono::steady_clock::duration timeout);

    // For /metrics: feeds waiting, the ring's size.
    std::size_t waiting() const;
    std::size_t held_events() const;
    std::size_t held_bytes() const;

private:
    struct waiter;
    boost::asio::awaitable<void> poll_loop();
    // Adds the rows (in id order) to the ring; wakes the waiters.
    void publish(std::vector<event_ptr> fresh);

    db::pool& db_;
    const event_hub_settings settings_;
    mutable std::mutex mutex_;
    std::deque<event_ptr> ring_;                 // guarded by mutex_
    std::size_t ring_bytes_ = 0;                 // guarded by mutex_
    std::int64_t newest_ = 0;                    // guarded by mutex_
    std::int64_t dropped_through_ = 0;           // guarded by mutex_: no event <= it is in the ring
    bool ready_ = false;                         // guarded by mutex_
    bool stopped_ = false;                       // guarded by mutex_
    std::vector<std::weak_ptr<waiter>> waiters_; // guarded by mutex_
    std::size_t prune_at_ = 64;                  // guarded by mutex_
    std::optional<boost::asio::strand<boost::asio::io_context::executor_type>> strand_;
    std::optional<boost::asio::steady_timer> timer_; // on strand_
};

} // namespace streamscope::api

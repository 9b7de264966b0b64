#pragma once
// One client's live feed, whatever carries it (Server-Sent Events or a WebSocket): a cursor
// over the server's events that the client's filter lets through. It starts after the newest
// event, or resumes after the id the client saw last (from the ring, or from the database for
// what the ring no longer holds). An id the database no longer keeps (older than
// EVENTS_RETENTION_HOURS), or one it never had, gets a reset: the live streams the filter
// lets through, and the id to go on from. A feed that falls so far behind that the ring has
// dropped what it has not sent yet is cut off; it can resume.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "api/events/event_filter.hpp"
#include "api/events/event_hub.hpp"
#include "common/db/pool.hpp"

namespace streamscope::api {

struct feed_step {
    enum class kind {
        events,    // `events`, in order
        heartbeat, // nothing for a while
        reset,     // `data`: {"reason", "message", "last_event_id", "streams", "sweeps"}; go on
                   // after `id`
        end,       // `data`: {"reason", "message", "last_event_id"}; the feed is over
    };
    kind what = kind::heartbeat;
    std::vector<event_ptr> events;
    std::int64_t id = 0;
    std::string data;
};

class event_feed {
public:
    event_feed(event_hub& hub, db::pool& db, event_filter filter,
               std::optional<std::int64_t> resume_after);

    // The next step; waits up to `heartbeat` for events.
    boost::asio::awaitable<feed_step> next(std::chrono::steady_clock::duration heartbeat);

    std::int64_t last_id() const { return cursor_; }

private:
    boost::asio::awaitable<std::optional<feed_step>> start();
    // Reasons and messages are literals (GCC 12 mishandles a literal made a std::string in a
    // coroutine's body).
    boost::asio::awaitable<feed_step> reset(const char* reason, const char* message);
    feed_step end(const char* reason, const char* message) const;
    // Events after the cursor from the database (what the ring no longer holds).
    boost::asio::awaitable<std::vector<event_ptr>> stored_after(std::int64_t after);

    event_hub& hub_;
    db::pool& db_;
    event_filter filter_;
    std::optional<std::int64_t> resume_after_;
    bool started_ = false;
    bool live_ = false; // served from the ring: falling behind it means too slow
    std::int64_t cursor_ = 0;
};

} // namespace streamscope::api

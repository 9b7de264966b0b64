#include "api/events/feed.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

#include "api/handlers/live/rows.hpp"
#include "common/db/copy_rows.hpp"

namespace streamscope::api {
namespace {

namespace asio = boost::asio;
using steady = std::chrono::steady_clock;

constexpr std::size_t feed_page = 500;
// The live streams a reset shows at most, the most watched first.
constexpr std::int64_t state_streams = 1'000;
// How long a feed waits for the hub's first poll (a server just started).
constexpr auto ready_wait = std::chrono::seconds(5);

constexpr const char* oldest_event_sql = "SELECT min(id) FROM events";

// $1, $2: the sweeps (rows.hpp); $3 platforms, $4 usernames (lower case), $5 games (ids or
// lower-case names), $6 min viewers (0: any). Every list empty: anything.
constexpr const char* state_conditions_sql = R"(
 WHERE (cardinality($3::text[]) = 0 OR p.name = ANY ($3::text[]))
   AND (cardinality($4::text[]) = 0 OR lower(c.login) = ANY ($4::text[]))
   AND (cardinality($5::text[]) = 0 OR g.platform_game_id = ANY ($5::text[])
        OR lower(g.name) = ANY ($5::text[]))
   AND ($6 = 0 OR s.viewer_count >= $6)
 ORDER BY s.viewer_count DESC NULLS LAST, st.id
 LIMIT $7)";

std::string array_literal(const std::vector<std::string>& items) {
    std::string out;
    db::append_array_literal(out, items);
    return out;
}

std::string stored_after_sql() {
    return std::string(event_columns_sql) + " WHERE e.id > $1 ORDER BY e.id LIMIT $2";
}

std::string state_sql() {
    return std::string(stream_rows_sql) + state_conditions_sql;
}

// The live streams a reset shows, as JSON text of its data.
std::string state_of(pqxx::connection& c, const event_filter& f, std::int64_t last_id,
                     const char* reason, const char* message) {
    pqxx::read_transaction tx(c);
    const std::vector<sweep_ref> sweeps = latest_sweeps(tx, "");
    const auto [ids, times] = sweep_arrays(sweeps);
    boost::json::array streams;
    for (const auto& row : tx.exec_params(state_sql(), ids, times, array_literal(f.platforms),
                                          array_literal(f.channels), array_literal(f.games),
                                          f.min_viewers, state_streams)) {
        streams.push_back(stream_item(row));
    }
    boost::json::object data;
    data["reason"] = reason;
    data["message"] = message;
    data["last_event_id"] = last_id;
    data["sweeps"] = sweeps_meta(sweeps);
    data["streams"] = std::move(streams);
    return boost::json::serialize(data);
}

std::string end_data(const char* reason, const char* message, std::int64_t id) {
    boost::json::object data;
    data["reason"] = reason;
    data["message"] = message;
    data["last_event_id"] = id;
    return boost::json::serialize(data);
}

} // namespace

event_feed::event_feed(event_hub& hub, db::pool& db, event_filter filter,
                       std::optional<std::int64_t> resume_after)
    : hub_(hub), db_(db), filter_(std::move(filter)), resume_after_(resume_after) {}

feed_step event_feed::end(const char* reason, const char* message) const {
    feed_step step;
    step.what = feed_step::kind::end;
    step.id = cursor_;
    step.data = end_data(reason, message, cursor_);
    return step;
}

asio::awaitable<feed_step> event_feed::reset(const char* reason, const char* message) {
    const std::int64_t newest = hub_.newest();
    const event_filter* f = &filter_;
    feed_step step;
    step.what = feed_step::kind::reset;
    step.id = newest;
    step.data = co_await db_.run([f, newest, reason, message](pqxx::connection& c) {
        return state_of(c, *f, newest, reason, message);
    });
    cursor_ = newest;
    live_ = true;
    co_return step;
}

asio::awaitable<std::vector<event_ptr>> event_feed::stored_after(std::int64_t after) {
    co_return co_await db_.run([after](pqxx::connection& c) {
        pqxx::read_transaction tx(c);
        std::vector<event_ptr> out;
        for (const auto& row :
             tx.exec_params(stored_after_sql(), after, static_cast<std::int64_t>(feed_page))) {
            out.push_back(render_event(row));
        }
        return out;
    });
}

asio::awaitable<std::optional<feed_step>> event_feed::start() {
    started_ = true;
    const auto deadline = steady::now() + ready_wait;
    asio::steady_timer pause{co_await asio::this_coro::executor};
    while (!hub_.ready() && !hub_.stopped() && steady::now() < deadline) {
        pause.expires_after(std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (!hub_.ready()) {
        co_return end("not_ready", "the server cannot read events yet; try again shortly");
    }
    const std::int64_t newest = hub_.newest();
    if (!resume_after_) {
        cursor_ = newest;
        co_return std::nullopt;
    }
    if (*resume_after_ > newest) {
        co_return co_await reset("unknown_id", "no event has that id; the feed goes on from the "
                                               "current state");
    }
    cursor_ = *resume_after_;
    if (cursor_ < newest) {
        const std::optional<std::int64_t> oldest = co_await db_.run([](pqxx::connection& c) {
            pqxx::read_transaction tx(c);
            const pqxx::field f = tx.exec(oldest_event_sql)[0][0];
            return f.is_null() ? std::nullopt : std::optional<std::int64_t>(f.as<std::int64_t>());
        });
        if (!oldest || *oldest > cursor_ + 1) {
            co_return co_await reset("expired",
                                     "events after that id are no longer kept "
                                     "(EVENTS_RETENTION_HOURS); the feed goes on from the "
                                     "current state");
        }
    }
    co_return std::nullopt;
}

asio::awaitable<feed_step> event_feed::next(steady::duration heartbeat) {
    if (!started_) {
        if (auto first = co_await start()) {
            co_return std::move(*first);
        }
    }
    const auto deadline = steady::now() + heartbeat;
    feed_step step;
    step.what = feed_step::kind::events;
    for (;;) {
        event_hub::slice slice = hub_.after(cursor_, feed_page);
        if (slice.behind) {
            if (live_) {
                co_return end("too_slow", "the feed fell behind what the server keeps for it; "
                                          "resume with the last event id");
            }
            slice.events = co_await stored_after(cursor_);
            if (slice.events.empty()) {
                co_return co_await reset("expired", "events after that id are no longer kept; "
                                                    "the feed goes on from the current state");
            }
        } else if (slice.events.empty()) {
            live_ = true;
            if (hub_.stopped()) {
                co_return end("server_stopping", "the server is stopping; resume with the last "
                                                 "event id");
            }
            if (steady::now() >= deadline) {
                step.what = feed_step::kind::heartbeat;
                co_return step;
            }
            co_await hub_.wait_after(cursor_, deadline - steady::now());
            continue;
        } else {
            live_ = true;
        }
        cursor_ = slice.events.back()->id;
        for (event_ptr& e : slice.events) {
            if (filter_.matches(*e)) {
                step.events.push_back(std::move(e));
            }
        }
        if (!step.events.empty()) {
            co_return step;
        }
    }
}

} // namespace streamscope::api

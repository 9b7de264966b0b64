// GET /live/events?platform=&type=&channel=&game=&min_viewers=&last_event_id= — the events of
// every sweep as they are stored, as Server-Sent Events (text/event-stream): `id:` the event's
// id, `event:` its type, `data:` the event (JSON, on one line); a comment every 15 s; a
// client that reconnects with Last-Event-ID (or last_event_id=) resumes after it.
// GET /live/ws?... — the same feed over a WebSocket, each event a text message.

#include <charconv>
#include <memory>
#include <variant>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "api/events/event_filter.hpp"
#include "api/events/feed.hpp"
#include "api/handlers/handlers.hpp"
#include "api/params/query_params.hpp"
#include "common/http/response.hpp"

namespace streamscope::api {
namespace {

using boost::beast::http::field;
using boost::beast::http::status;

// A client whose connection drops reconnects after this (EventSource's `retry`).
constexpr std::string_view sse_preamble = "retry: 3000\n\n";
constexpr std::string_view sse_heartbeat = ": keep-alive\n\n";
constexpr std::string_view closing_reason = "the feed ended; see the cutoff message";

// Who holds a feed (for its slot) and how many that client may hold.
struct feed_owner {
    std::string who;
    unsigned allowed = 0;
};

feed_owner owner_of(const app& shared, const http::request_context& ctx) {
    if (ctx.key_id != 0) {
        return {key_slot_owner(ctx.key_id), shared.feeds.per_key};
    }
    if (shared.auth.mode() == auth_mode::open_read) {
        return {"address " + client_address(ctx.req, ctx.peer, shared.feeds.proxies).to_string(),
                shared.feeds.anonymous_per_address};
    }
    return {}; // AUTH_MODE=off: the server's limit alone
}

// The id to resume after: the Last-Event-ID header, else last_event_id=; nullopt: start with
// the next event. A value that is no id is recorded in `params`.
std::optional<std::int64_t> resume_after(const http::request_context& ctx, query_params& params) {
    std::string text(ctx.req["Last-Event-ID"]);
    if (text.empty()) {
        text = params.text("last_event_id").value_or("");
    }
    if (text.empty()) {
        return std::nullopt;
    }
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id < 0) {
        params.reject("last_event_id", "must be an event id (a whole number), as the feed sent "
                                       "it");
        return std::nullopt;
    }
    return id;
}

// A refusal for a feed the slots do not allow.
http::response no_slot(const http::request_context& ctx, const app& shared,
                       running_slots::refusal why) {
    if (why == running_slots::refusal::client_busy) {
        http::response res = http::error_response(
            ctx.req, status::too_many_requests, "too_many_feeds",
            ctx.key_id != 0
                ? "this API key has " + std::to_string(shared.feeds.per_key) +
                      " live feeds open, the most it may; close one first"
                : "this address has " + std::to_string(shared.feeds.anonymous_per_address) +
                      " live feeds open without an API key, the most it may");
        res.set(field::retry_after, "30");
        return res;
    }
    http::response res = http::error_response(
        ctx.req, status::service_unavailable, "too_many_feeds",
        std::to_string(shared.feeds.max_feeds) +
            " live feeds are open on this server, the most it holds; try again later");
    res.set(field::retry_after, "30");
    return res;
}

// What one step of the feed is on the wire. `over`: the feed has ended.
std::string sse_text(const feed_step& step, bool& over) {
    std::string out;
    switch (step.what) {
    case feed_step::kind::events:
        for (const event_ptr& e : step.events) {
            out += e->sse;
        }
        break;
    case feed_step::kind::heartbeat:
        out = sse_heartbeat;
        break;
    case feed_step::kind::reset:
        out = "id: " + std::to_string(step.id) + "\nevent: reset\ndata: " + step.data + "\n\n";
        break;
    case feed_step::kind::end:
        out = "event: cutoff\ndata: " + step.data + "\n\n";
        over = true;
        break;
    }
    return out;
}

// A WebSocket's control message: {"type": "reset"|"cutoff", "id": N, "data": {...}}.
std::string control_message(std::string_view type, const feed_step& step) {
    return "{\"type\":\"" + std::string(type) + "\",\"id\":" + std::to_string(step.id) +
           ",\"data\":" + step.data + "}";
}

// RFC 6455's close code for a feed that ends: the server going away, or the client asked to
// come back later (too slow, not ready).
std::uint16_t close_code_of(const feed_step& step) {
    return step.data.find("\"server_stopping\"") != std::string::npos ? 1001 : 1013;
}

// Sends the feed's steps as messages until it ends or the client goes.
boost::asio::awaitable<void> send_feed(http::websocket_channel& ws, event_feed& feed,
                                       std::chrono::seconds heartbeat) {
    for (;;) {
        const feed_step step = co_await feed.next(heartbeat);
        switch (step.what) {
        case feed_step::kind::events:
            for (const event_ptr& e : step.events) {
                const bool sent = co_await ws.send(e->json());
                if (!sent) {
                    co_return;
                }
            }
            break;
        case feed_step::kind::heartbeat:
            break; // the server pings an idle WebSocket itself
        case feed_step::kind::reset: {
            const std::string message = control_message("reset", step);
            const bool sent = co_await ws.send(message);
            if (!sent) {
                co_return;
            }
            break;
        }
        case feed_step::kind::end: {
            const std::string message = control_message("cutoff", step);
            const bool sent = co_await ws.send(message);
            if (sent) {
                co_await ws.close(close_code_of(step), closing_reason);
            }
            co_return;
        }
        }
    }
}

// Reads (and drops) what the client sends, until it closes or goes: then the feed ends too.
boost::asio::awaitable<void> read_until_closed(http::websocket_channel& ws) {
    for (;;) {
        const std::optional<std::string> got = co_await ws.receive();
        if (!got) {
            break;
        }
    }
}

// A feed and its slot, for as long as the connection carries it.
struct open_feed {
    open_feed(event_feed f, running_slots::slot s) : feed(std::move(f)), slot(std::move(s)) {}
    event_feed feed;
    running_slots::slot slot;
    bool started = false;
    bool over = false;
};

// The feed the request asks for, in a slot of its client's; or the answer that refuses it (a
// bad parameter, no slot). What both carriers of the feed do first.
std::variant<std::shared_ptr<open_feed>, http::response>
open_for(const http::request_context& ctx, app& shared, running_slots& slots) {
    query_params params(ctx.query,
                        {"platform", "type", "channel", "game", "min_viewers", "last_event_id"});
    event_filter filter = read_event_filter(params);
    const std::optional<std::int64_t> resume = resume_after(ctx, params);
    if (const auto& bad = params.error()) {
        return invalid_parameter(ctx.req, *bad);
    }
    const feed_owner owner = owner_of(shared, ctx);
    running_slots::outcome taken = slots.take(owner.who, owner.allowed);
    if (!taken.held) {
        return no_slot(ctx, shared, taken.why);
    }
    return std::make_shared<open_feed>(
        event_feed(shared.events, shared.db, std::move(filter), resume), std::move(taken.held));
}

http::response event_stream_response(const http::request& req) {
    http::response res{status::ok, req.version()};
    res.set(field::content_type, "text/event-stream");
    res.set(field::cache_control, "no-store");
    // Proxies that buffer answers (nginx) would hold events back.
    res.set("X-Accel-Buffering", "no");
    return res;
}

} // namespace

http::handler live_events_route(app& shared, std::shared_ptr<running_slots> slots) {
    return [&shared, slots](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        std::variant<std::shared_ptr<open_feed>, http::response> opened =
            open_for(ctx, shared, *slots);
        if (auto* refused = std::get_if<http::response>(&opened)) {
            co_return std::move(*refused);
        }
        const auto state = std::get<std::shared_ptr<open_feed>>(opened);
        const auto heartbeat = shared.feeds.heartbeat;
        ctx.streamed_body = [state,
                             heartbeat]() -> boost::asio::awaitable<std::optional<std::string>> {
            if (state->over) {
                co_return std::nullopt;
            }
            if (!state->started) {
                state->started = true;
                co_return std::optional<std::string>(std::in_place, sse_preamble);
            }
            const feed_step step = co_await state->feed.next(heartbeat);
            co_return sse_text(step, state->over);
        };
        co_return event_stream_response(ctx.req);
    };
}

http::handler live_ws_route(app& shared, std::shared_ptr<running_slots> slots) {
    return [&shared, slots](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        if (!boost::beast::websocket::is_upgrade(ctx.req)) {
            co_return http::error_response(
                ctx.req, status::upgrade_required, "websocket_required",
                "this is the live feed over a WebSocket (ws:// or wss://); /live/events has it "
                "as Server-Sent Events");
        }
        std::variant<std::shared_ptr<open_feed>, http::response> opened =
            open_for(ctx, shared, *slots);
        if (auto* refused = std::get_if<http::response>(&opened)) {
            co_return std::move(*refused);
        }
        const auto state = std::get<std::shared_ptr<open_feed>>(opened);
        const auto heartbeat = shared.feeds.heartbeat;
        ctx.websocket = [state,
                         heartbeat](http::websocket_channel& ws) -> boost::asio::awaitable<void> {
            using namespace boost::asio::experimental::awaitable_operators;
            co_await (send_feed(ws, state->feed, heartbeat) || read_until_closed(ws));
        };
        co_return http::response{status::switching_protocols, ctx.req.version()};
    };
}

} // namespace streamscope::api

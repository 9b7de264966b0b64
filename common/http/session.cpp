// One connection of the server: read a request, route it, run its handler, write the answer,
// and again while the client keeps the connection alive.

#include <array>
#include <exception>
#include <optional>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <spdlog/spdlog.h>

#include "common/http/access_log.hpp"
#include "common/http/cors.hpp"
#include "common/http/gzip.hpp"
#include "common/http/read_floor.hpp"
#include "common/http/request_intake.hpp"
#include "common/http/response.hpp"
#include "common/http/server_state.hpp"
#include "common/http/use_tuple.hpp"

namespace streamscope::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

// Limits that are not settings. Responses are at most a few MiB of JSON: 30 s covers a slow
// mobile client without letting one that stopped reading hold a connection for long.
constexpr auto write_timeout = 30s;
// After an error answer the client may still be sending what we did not read; closing at once
// would reset the connection and could destroy our answer before the client read it.
constexpr auto linger_timeout = 2s;
constexpr std::size_t first_read_size = 8 * 1024;
// WebSockets: the opening handshake's answer and the closing one's wait for the client's close
// frame (a server that stops waits no longer than this for a client), and the silence after
// which the client is pinged (at half of it) and then dropped. Clients send feeds nothing but
// control frames: small messages only.
constexpr auto websocket_handshake_timeout = 2s;
constexpr auto websocket_idle_timeout = 30s;
constexpr std::size_t websocket_message_limit = 64 * 1024;

// What the access log and the observer say about one exchange.
struct exchange_record {
    std::string method = "-";
    std::string target = "-";
    std::string route{unmatched_route};
    std::string client = {}; // request_context::client
};

// A handler's answer: the response, and the chunks of its body when it streams one.
struct handled {
    response res;
    body_chunks chunks;
    std::string client = {};
    websocket_session websocket = {};
};

asio::awaitable<handled> run_handler(const request& req, routed& r, const std::string& pattern,
                                     const asio::ip::address& peer) {
    request_context ctx{
        req, std::move(r.path), std::move(r.query), std::move(r.params), pattern, peer, {}, 0, {},
        {}};
    std::string failure;
    try {
        response res = co_await (*r.target)(ctx);
        co_return handled{std::move(res), std::move(ctx.streamed_body), std::move(ctx.client),
                          std::move(ctx.websocket)};
    } catch (const std::exception& e) {
        failure = e.what();
    } catch (...) {
        failure = "an exception that is not a std::exception";
    }
    // The exception may name tables, hosts or queries: the log gets it, the client does not.
    spdlog::error("{} {} (route {}) failed: {}", std::string_view(req.method_string()),
                  loggable_target(req.target()), pattern, failure);
    co_return handled{error_response(req, status::internal_server_error, "internal_error",
                                     "the server failed to answer this request; the failure is "
                                     "logged"),
                      nullptr};
}

// Whether the answer to `req` goes out gzipped (answers already encoded, e.g. from a cache,
// keep their coding). Streamed bodies are compressed chunk by chunk as they are sent.
bool compress(const request& req, response& res, bool streamed) {
    // An event stream is sent as it comes: gzip would hold events back until its block fills.
    if (res[field::content_type].starts_with("text/event-stream")) {
        return false;
    }
    if (res.result() != status::ok || res.count(field::content_encoding) != 0 ||
        (!streamed && res.body().size() < gzip_min_bytes)) {
        return false;
    }
    // Whether a cache may reuse this answer depends on the request's Accept-Encoding now.
    add_vary(res, "Accept-Encoding");
    if (!accepts_gzip(req[field::accept_encoding])) {
        return false;
    }
    res.set(field::content_encoding, "gzip");
    return true;
}

// Headers every response gets, whoever wrote it. Returns whether a streamed body is to be
// gzipped on its way.
bool finish(const cors_policy& cors, const request* req, response& res, bool streamed) {
    const bool head = req && req->method() == verb::head;
    if (req) {
        res.version(req->version());
    }
    // These statuses have no body by definition (and prepare_payload throws on one).
    const unsigned code = res.result_int();
    if (code < 200 || code == 204 || code == 304) {
        res.body().clear();
    }
    const bool gzipped = req && compress(*req, res, streamed);
    if (streamed) {
        // HTTP/1.1 clients get the body in chunks; HTTP/1.0 ones until the connection closes.
        res.chunked(res.version() >= 11);
    } else {
        if (gzipped) {
            res.body() = gzip(res.body());
        }
        // HEAD: the GET answer's headers (Content-Length included) without its body; a HEAD
        // handler's own Content-Length stays.
        if (!head || !res.body().empty() || !res.has_content_length()) {
            res.prepare_payload();
        }
    }
    if (head) {
        res.body().clear();
    }
    cors.decorate(res, req ? std::string_view((*req)[field::origin]) : std::string_view{});
    return gzipped && streamed;
}

void observe(const server_options& options, const exchange_record& record, const response& res,
             std::size_t body_bytes, steady::duration took) {
    const std::chrono::duration<double, std::milli> ms = took;
    spdlog::log(options.log_requests ? spdlog::level::info : spdlog::level::debug,
                "{} {} {} {:.2f} ms {} B route {}{}{}", record.method, record.target,
                res.result_int(), ms.count(), body_bytes, record.route,
                record.client.empty() ? "" : " key ", record.client);
    if (options.request_observer) {
        options.request_observer(record.route, res.result_int(),
                                 std::chrono::duration_cast<std::chrono::nanoseconds>(took));
    }
}

// Half-closes, then reads and drops whatever the client still sends until it closes too (or
// for linger_timeout), so that our last answer reaches it instead of a reset.
template <class Stream>
asio::awaitable<void> close_gently(Stream& stream) {
    boost::system::error_code ignored;
    beast::tcp_stream& transport = beast::get_lowest_layer(stream);
    transport.socket().shutdown(tcp::socket::shutdown_send, ignored);
    transport.expires_after(linger_timeout);
    std::array<char, 4096> sink{};
    const auto into = asio::buffer(sink);
    for (;;) {
        auto [ec, n] = co_await stream.async_read_some(into, use_tuple);
        if (ec) {
            break;
        }
    }
    transport.socket().close(ignored);
}

// Sends a streamed answer: the header, then each chunk as the handler produces it (gzipped on
// the way when `gzipped`). Returns the body bytes sent, or nullopt when the answer was cut off
// (the client went away or stopped reading, or the handler failed): the connection must close
// then, as the client cannot tell where the answer ended otherwise.
template <class Stream>
asio::awaitable<std::optional<std::size_t>>
write_streamed(Stream& stream, response& res, body_chunks& chunks, bool gzipped, bool head,
               const read_floor& floor, const exchange_record& record) {
    beast::tcp_stream& transport = beast::get_lowest_layer(stream);
    beast::http::response<beast::http::empty_body> header{std::move(res.base())};
    beast::http::response_serializer<beast::http::empty_body> serializer{header};
    transport.expires_after(write_timeout);
    auto [header_ec, header_n] =
        co_await beast::http::async_write_header(stream, serializer, use_tuple);
    if (header_ec) {
        co_return std::nullopt;
    }
    if (head) {
        co_return 0;
    }
    const bool chunked = header.chunked();
    std::optional<gzip_stream> packer;
    if (gzipped) {
        packer.emplace();
    }
    std::size_t sent = 0;
    steady::duration waited{}; // for the client to take what was sent
    bool too_slow = false;
    const auto send = [&](const std::string& data) -> asio::awaitable<bool> {
        if (data.empty()) {
            co_return true; // an empty chunk would end a chunked body
        }
        const auto allowed = floor.allowance(sent + data.size(), waited, write_timeout);
        if (allowed <= steady::duration::zero()) {
            too_slow = true;
            co_return false;
        }
        transport.expires_after(allowed);
        const auto write_started = steady::now();
        boost::system::error_code ec;
        if (chunked) {
            auto [chunk_ec, n] = co_await asio::async_write(
                stream, beast::http::make_chunk(asio::buffer(data)), use_tuple);
            ec = chunk_ec;
        } else {
            auto [raw_ec, n] = co_await asio::async_write(stream, asio::buffer(data), use_tuple);
            ec = raw_ec;
        }
        waited += steady::now() - write_started;
        sent += data.size();
        too_slow = ec == beast::error::timeout && allowed < write_timeout;
        co_return !ec;
    };
    try {
        for (;;) {
            std::optional<std::string> piece = co_await chunks();
            if (!piece) {
                break;
            }
            const std::string data = packer ? packer->write(*piece) : std::move(*piece);
            const bool delivered = co_await send(data);
            if (!delivered) {
                if (too_slow) {
                    spdlog::warn("{} {} (client {}): the client read slower than {} B/s; answer "
                                 "cut off after {} B",
                                 record.method, record.target,
                                 record.client.empty() ? "-" : record.client,
                                 floor.bytes_per_second, sent);
                } else {
                    spdlog::warn("{} {}: the client stopped reading; answer cut off after {} B",
                                 record.method, record.target, sent);
                }
                co_return std::nullopt;
            }
        }
        if (packer) {
            const std::string tail = packer->finish();
            const bool delivered = co_await send(tail);
            if (!delivered) {
                co_return std::nullopt;
            }
        }
    } catch (const answer_cut_off& e) {
        spdlog::warn("{} {} (client {}): answer cut off after {} B: {}", record.method,
                     record.target, record.client.empty() ? "-" : record.client, sent, e.what());
        co_return std::nullopt;
    } catch (const std::exception& e) {
        spdlog::error("{} {} (route {}) failed after {} B of its answer: {}; the answer is cut off",
                      record.method, record.target, record.route, sent, e.what());
        co_return std::nullopt;
    }
    if (chunked) {
        transport.expires_after(write_timeout);
        auto [last_ec, n] =
            co_await asio::async_write(stream, beast::http::make_chunk_last(), use_tuple);
        if (last_ec) {
            co_return std::nullopt;
        }
    }
    co_return sent;
}

// A WebSocket on a connection's stream (TCP, or TLS over it), for a handler's session.
template <class Stream>
class websocket_on : public websocket_channel {
public:
    explicit websocket_on(Stream& stream) : ws_(stream) {
        beast::get_lowest_layer(ws_).expires_never(); // the WebSocket's own timeouts rule now
        beast::websocket::stream_base::timeout limits{};
        limits.handshake_timeout = websocket_handshake_timeout;
        // A ping after half of it without a frame from the client; no answer: closed.
        limits.idle_timeout = websocket_idle_timeout;
        limits.keep_alive_pings = true;
        ws_.set_option(limits);
        ws_.read_message_max(websocket_message_limit);
    }

    asio::awaitable<bool> accept(const request& req) {
        auto [ec] = co_await ws_.async_accept(req, use_tuple);
        co_return !ec;
    }

    asio::awaitable<bool> send(std::string_view text) override {
        ws_.text(true);
        auto [ec, n] = co_await ws_.async_write(asio::buffer(text.data(), text.size()), use_tuple);
        co_return !ec;
    }

    asio::awaitable<std::optional<std::string>> receive() override {
        beast::flat_buffer in;
        auto [ec, n] = co_await ws_.async_read(in, use_tuple);
        if (ec) {
            co_return std::nullopt;
        }
        co_return beast::buffers_to_string(in.data());
    }

    asio::awaitable<void> close(std::uint16_t code, std::string_view reason) override {
        // A close frame's reason is 123 bytes at most.
        const std::string_view told = reason.substr(0, 123);
        beast::websocket::close_reason why{static_cast<beast::websocket::close_code>(code),
                                           beast::string_view(told.data(), told.size())};
        auto [ec] = co_await ws_.async_close(why, use_tuple);
        (void)ec; // the client may be gone already: nothing to do about it
    }

private:
    beast::websocket::stream<Stream&> ws_;
};

// Takes a connection out of the server's set when its session ends, however it ends.
class registration {
public:
    registration(server_state& state, std::shared_ptr<connection> conn)
        : state_(state), conn_(std::move(conn)) {}
    ~registration() { state_.forget(conn_); }
    registration(const registration&) = delete;
    registration& operator=(const registration&) = delete;

private:
    server_state& state_;
    std::shared_ptr<connection> conn_;
};

// Requests and answers on `stream` (the connection's TCP stream, or TLS over it) until the
// client leaves, a deadline passes or the server drains.
template <class Stream>
asio::awaitable<void> serve(Stream& stream, server_state& state, connection& conn) {
    const server_options& options = state.options;
    const cors_policy cors{options.cors_allowed_origins};
    beast::tcp_stream& transport = beast::get_lowest_layer(stream);
    beast::flat_buffer buffer;
    bool fresh = true;   // no request yet: the read deadline runs from the accept
    bool linger = false; // we close with the client possibly still sending
    for (;;) {
        // Waiting for a request to begin is idle time, which the drain may cut short.
        if (buffer.size() == 0) {
            if (state.draining) {
                break;
            }
            conn.idle = true;
            transport.expires_after(fresh ? options.read_timeout : options.idle_timeout);
            const auto space = buffer.prepare(first_read_size);
            auto [wait_ec, got] = co_await stream.async_read_some(space, use_tuple);
            conn.idle = false;
            if (wait_ec) {
                break; // the client left, went quiet too long, or the server is draining
            }
            buffer.commit(got);
        }
        if (!fresh) {
            transport.expires_after(options.read_timeout);
        }
        beast::http::request_parser<beast::http::string_body> parser;
        parser.header_limit(options.header_limit);
        parser.body_limit(options.body_limit);
        auto [read_ec, read_n] =
            co_await beast::http::async_read(stream, buffer, parser, use_tuple);
        const auto started = steady::now();

        exchange_record record;
        handled answer;
        response& res = answer.res;
        bool keep_alive = false;
        const request* req = nullptr;
        if (read_ec) {
            auto refused = refusal(options, read_ec);
            if (!refused) {
                break;
            }
            res = std::move(*refused);
            linger = true;
        } else {
            req = &parser.get();
            record.method = std::string(req->method_string());
            record.target = loggable_target(req->target());
            routed r = route_request(state.routes, cors, *req);
            record.route = r.route;
            if (r.ready) {
                res = std::move(*r.ready);
            } else {
                answer = co_await run_handler(*req, r, record.route, conn.address);
                record.client = std::move(answer.client);
            }
            keep_alive = req->keep_alive() && !state.draining;
            linger = req->keep_alive() && !keep_alive;
        }
        if (answer.websocket && res.result() == status::switching_protocols) {
            // The handler took the upgrade: the connection is the WebSocket's from here on.
            websocket_on<Stream> ws{stream};
            const bool accepted = co_await ws.accept(*req);
            res.keep_alive(false);
            observe(options, record, res, 0, steady::now() - started);
            if (accepted) {
                co_await answer.websocket(ws);
            }
            co_return;
        }
        const bool streamed = answer.chunks != nullptr;
        const bool gzip_chunks = finish(cors, req, res, streamed);
        if (streamed && res.version() < 11) {
            keep_alive = false; // the end of the body is the end of the connection
        }
        res.keep_alive(keep_alive);
        if (streamed) {
            const bool head = req->method() == verb::head;
            const unsigned code = res.result_int();
            const auto sent = co_await write_streamed(stream, res, answer.chunks, gzip_chunks, head,
                                                      options.streamed_read_floor, record);
            res.result(code); // the header went out with the body: the log needs the status
            observe(options, record, res, sent.value_or(0), steady::now() - started);
            if (!sent || !keep_alive) {
                break;
            }
            fresh = false;
            continue;
        }
        const std::size_t body_bytes = res.body().size();
        transport.expires_after(write_timeout);
        auto [write_ec, written] = co_await beast::http::async_write(stream, res, use_tuple);
        observe(options, record, res, body_bytes, steady::now() - started);
        if (write_ec || !keep_alive) {
            break;
        }
        fresh = false;
    }
    // With TLS, no close_notify: it would wait for the client's, and every answer's end is
    // marked by its length or its last chunk, so a cut cannot pass for a whole answer.
    if (linger) {
        co_await close_gently(stream);
    } else {
        boost::system::error_code ignored;
        transport.socket().shutdown(tcp::socket::shutdown_send, ignored);
        transport.socket().close(ignored);
    }
}

} // namespace

asio::awaitable<void> serve_connection(std::shared_ptr<server_state> state,
                                       std::shared_ptr<connection> conn) {
    const registration registered(*state, conn);
    if (!state->options.tls) {
        co_await serve(conn->stream, *state, *conn);
        co_return;
    }
    beast::ssl_stream<beast::tcp_stream&> tls{conn->stream, *state->options.tls};
    conn->stream.expires_after(state->options.read_timeout);
    auto [handshake_ec] = co_await tls.async_handshake(asio::ssl::stream_base::server, use_tuple);
    if (handshake_ec) {
        // Scanners and plain-HTTP clients do this all day: not worth more than a debug line.
        spdlog::debug("{}: TLS handshake with {} failed: {}", state->options.name,
                      conn->address.to_string(), handshake_ec.message());
        boost::system::error_code ignored;
        conn->stream.socket().close(ignored);
        co_return;
    }
    co_await serve(tls, *state, *conn);
}

} // namespace streamscope::http

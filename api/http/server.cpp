#include "api/http/server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_set>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "api/http/errors.hpp"
#include "api/http/gzip.hpp"
#include "common/http/listen.hpp"

namespace streamscope::api {
namespace {

using streamscope::http::host_port;
using streamscope::http::log_failure;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Limits that are not settings. Responses are at most a few MiB of JSON: 30 s covers a slow
// mobile client without letting one that stopped reading hold a connection for long.
constexpr auto write_timeout = 30s;
constexpr auto drain_timeout = 10s;
constexpr auto drain_poll = 20ms; // how soon run() returns once the last connection is gone
// After an error answer the client may still be sending what we did not read; closing at once
// would reset the connection and could destroy our answer before the client read it.
constexpr auto linger_timeout = 2s;
constexpr auto accept_pause = 100ms;
constexpr std::size_t first_read_size = 8 * 1024;
constexpr std::size_t logged_component_limit = 200;
// Browsers cap it lower (Chromium at 2 h); one day is what Firefox allows.
constexpr std::string_view preflight_max_age = "86400";
// Request headers a browser may send cross-origin besides the always-allowed ones.
constexpr std::string_view cors_allowed_headers = "Accept, Authorization, Content-Type, "
                                                  "If-None-Match";
constexpr std::string_view unmatched_route = "unmatched";

// The request target as the access log shows it: each of the path, query keys and query values
// cut at 200 characters, and whatever is not printable ASCII percent-encoded, so that one line
// stays short and no client can forge lines or break the JSON log format.
std::string loggable_target(std::string_view target) {
    const auto cut = [](std::string_view part) {
        return part.size() > logged_component_limit
                   ? std::string(part.substr(0, logged_component_limit)) + "..."
                   : std::string(part);
    };
    const auto question = target.find('?');
    std::string shown = cut(target.substr(0, question));
    if (question != std::string_view::npos) {
        shown += '?';
        std::string_view query = target.substr(question + 1);
        for (bool first = true;; first = false) {
            const auto amp = query.find('&');
            const std::string_view pair = query.substr(0, amp);
            if (!first) {
                shown += '&';
            }
            const auto eq = pair.find('=');
            shown += cut(pair.substr(0, eq));
            if (eq != std::string_view::npos) {
                shown += '=';
                shown += cut(pair.substr(eq + 1));
            }
            if (amp == std::string_view::npos) {
                break;
            }
            query.remove_prefix(amp + 1);
        }
    }
    constexpr std::string_view hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(shown.size());
    for (const char c : shown) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        } else {
            out += c;
        }
    }
    return out;
}

std::string join_methods(const std::vector<http::verb>& methods) {
    std::string out;
    for (const http::verb m : methods) {
        if (!out.empty()) {
            out += ", ";
        }
        out += http::to_string(m);
    }
    return out;
}

// A connection, shared between its session and the drain, which closes it when idle. Both
// touch it only on the connection's strand.
struct connection {
    explicit connection(tcp::socket socket) : stream(std::move(socket)) {}
    beast::tcp_stream stream;
    bool idle = false; // waiting for a request to begin: nothing is lost by closing it
};

// What the sessions share with the server, held by every session so that a session that a
// forced drain left behind can end (when the io_context goes) after the server object.
struct shared_state {
    shared_state(server_options o, const router& r) : options(std::move(o)), routes(r) {}

    const server_options options;
    const router& routes;
    std::atomic<bool> draining{false};

    std::mutex mutex;
    std::unordered_set<std::shared_ptr<connection>> connections; // guarded by mutex

    bool admit(const std::shared_ptr<connection>& conn) {
        const std::lock_guard lock(mutex);
        if (connections.size() >= options.max_connections) {
            return false;
        }
        connections.insert(conn);
        return true;
    }
    std::size_t open() {
        const std::lock_guard lock(mutex);
        return connections.size();
    }
    // Asks every idle connection to close. Sessions that are busy see `draining` when they
    // finish their response, and close then.
    void close_idle() {
        const std::lock_guard lock(mutex);
        for (const auto& conn : connections) {
            asio::post(conn->stream.get_executor(), [conn] {
                if (conn->idle) {
                    conn->stream.cancel();
                }
            });
        }
    }

    bool origin_allowed(std::string_view origin) const {
        return !origin.empty() &&
               std::find(options.cors_allowed_origins.begin(), options.cors_allowed_origins.end(),
                         origin) != options.cors_allowed_origins.end();
    }
    bool any_origin() const {
        return std::find(options.cors_allowed_origins.begin(), options.cors_allowed_origins.end(),
                         "*") != options.cors_allowed_origins.end();
    }
};

// Takes a connection out of the shared set when its session ends, however it ends.
class registration {
public:
    registration(shared_state& state, std::shared_ptr<connection> conn)
        : state_(state), conn_(std::move(conn)) {}
    ~registration() {
        const std::lock_guard lock(state_.mutex);
        state_.connections.erase(conn_);
    }
    registration(const registration&) = delete;
    registration& operator=(const registration&) = delete;

private:
    shared_state& state_;
    std::shared_ptr<connection> conn_;
};

// What the access log and the observer say about one exchange.
struct exchange_record {
    std::string method = "-";
    std::string target = "-";
    std::string route{unmatched_route};
};

// A request taken apart and routed: either answered already, or a handler to run.
struct routed {
    std::optional<response> ready;
    const handler* target = nullptr;
    std::string path;
    std::string query;
    std::map<std::string, std::string, std::less<>> params;
};

response preflight(const shared_state& state, const request& req,
                   const std::vector<http::verb>& allowed) {
    response res{http::status::no_content, req.version()};
    std::vector<http::verb> with_options = allowed;
    with_options.push_back(http::verb::options);
    std::sort(with_options.begin(), with_options.end());
    res.set(http::field::allow, join_methods(with_options));
    const bool cross_origin_request =
        req.count(http::field::access_control_request_method) != 0 &&
        (state.any_origin() || state.origin_allowed(req[http::field::origin]));
    if (cross_origin_request) {
        res.set(http::field::access_control_allow_methods, join_methods(allowed));
        res.set(http::field::access_control_allow_headers, cors_allowed_headers);
        res.set(http::field::access_control_max_age, preflight_max_age);
    }
    return res;
}

routed route(const shared_state& state, const request& req, exchange_record& record) {
    routed out;
    const std::string_view target = req.target();
    const auto question = target.find('?');
    const std::string_view raw_path = target.substr(0, question);
    auto path = percent_decode(raw_path);
    if (!path) {
        out.ready = error_response(req, http::status::bad_request, "invalid_path",
                                   "the path has a '%' that is not followed by two hex digits");
        return out;
    }
    auto found = state.routes.match(req.method(), raw_path);
    if (found.result == router::outcome::not_found) {
        out.ready =
            error_response(req, http::status::not_found, "not_found", "no endpoint has this path");
        return out;
    }
    record.route = found.pattern;
    if (found.result == router::outcome::method_not_allowed) {
        if (req.method() == http::verb::options) {
            out.ready = preflight(state, req, found.allowed);
            return out;
        }
        const std::string allowed = join_methods(found.allowed);
        out.ready = error_response(req, http::status::method_not_allowed, "method_not_allowed",
                                   "this path answers " + allowed);
        out.ready->set(http::field::allow, allowed);
        return out;
    }
    out.target = found.target;
    out.path = std::move(*path);
    if (question != std::string_view::npos) {
        out.query = std::string(target.substr(question + 1));
    }
    out.params = std::move(found.params);
    return out;
}

// A handler's answer: the response, and the chunks of its body when it streams one.
struct handled {
    response res;
    body_chunks chunks;
};

asio::awaitable<handled> run_handler(const request& req, routed& r, const std::string& pattern) {
    request_context ctx{req, std::move(r.path), std::move(r.query), std::move(r.params), pattern,
                        {}};
    std::string failure;
    try {
        response res = co_await (*r.target)(ctx);
        co_return handled{std::move(res), std::move(ctx.streamed_body)};
    } catch (const std::exception& e) {
        failure = e.what();
    } catch (...) {
        failure = "an exception that is not a std::exception";
    }
    // The exception may name tables, hosts or queries: the log gets it, the client does not.
    spdlog::error("{} {} (route {}) failed: {}", std::string_view(req.method_string()),
                  loggable_target(req.target()), pattern, failure);
    co_return handled{error_response(req, http::status::internal_server_error, "internal_error",
                                     "the server failed to answer this request; the failure is "
                                     "logged"),
                      nullptr};
}

void add_vary(response& res, std::string_view header) {
    const std::string_view vary = res[http::field::vary];
    if (vary.empty()) {
        res.set(http::field::vary, header);
    } else if (vary.find(header) == std::string_view::npos) {
        res.set(http::field::vary, std::string(vary) + ", " + std::string(header));
    }
}

// Whether the answer to `req` goes out gzipped (answers already encoded, e.g. from the cache,
// keep their coding). Streamed bodies are compressed chunk by chunk as they are sent.
bool compress(const request& req, response& res, bool streamed) {
    if (res.result() != http::status::ok || res.count(http::field::content_encoding) != 0 ||
        (!streamed && res.body().size() < gzip_min_bytes)) {
        return false;
    }
    // Whether a cache may reuse this answer depends on the request's Accept-Encoding now.
    add_vary(res, "Accept-Encoding");
    if (!accepts_gzip(req[http::field::accept_encoding])) {
        return false;
    }
    res.set(http::field::content_encoding, "gzip");
    return true;
}

// Headers every response gets, whoever wrote it. Returns whether a streamed body is to be
// gzipped on its way.
bool finish(const shared_state& state, const request* req, response& res, bool streamed) {
    const bool head = req && req->method() == http::verb::head;
    if (req) {
        res.version(req->version());
    }
    // These statuses have no body by definition (and prepare_payload throws on one).
    const unsigned status = res.result_int();
    if (status < 200 || status == 204 || status == 304) {
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
    std::string_view origin;
    if (req) {
        origin = (*req)[http::field::origin];
    }
    if (state.any_origin()) {
        res.set(http::field::access_control_allow_origin, "*");
    } else if (state.origin_allowed(origin)) {
        res.set(http::field::access_control_allow_origin, origin);
    }
    // Caches must keep answers to different origins apart when the header depends on it.
    add_vary(res, "Origin");
    return gzipped && streamed;
}

// The answer to a request that could not be read, or nullopt when there is nobody to answer:
// the peer left, the read timed out (which closes the socket) or the server is stopping.
std::optional<response> refusal(const shared_state& state, const boost::system::error_code& ec) {
    const request blank{http::verb::get, "/", 11};
    if (ec == http::error::header_limit) {
        return error_response(blank, http::status::request_header_fields_too_large,
                              "headers_too_large",
                              "request headers are limited to " +
                                  std::to_string(state.options.header_limit) + " bytes");
    }
    if (ec == http::error::body_limit) {
        return error_response(blank, http::status::payload_too_large, "body_too_large",
                              "request bodies are limited to " +
                                  std::to_string(state.options.body_limit) + " bytes");
    }
    if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
        return error_response(blank, http::status::bad_request, "bad_request",
                              "not an HTTP/1.1 request: " + ec.message());
    }
    return std::nullopt;
}

void observe(const shared_state& state, const exchange_record& record, const response& res,
             std::size_t body_bytes, steady::duration took) {
    const std::chrono::duration<double, std::milli> ms = took;
    spdlog::info("{} {} {} {:.2f} ms {} B route {}", record.method, record.target, res.result_int(),
                 ms.count(), body_bytes, record.route);
    if (state.options.request_observer) {
        state.options.request_observer(record.route, res.result_int(),
                                       std::chrono::duration_cast<std::chrono::nanoseconds>(took));
    }
}

// Half-closes, then reads and drops whatever the client still sends until it closes too (or
// for linger_timeout), so that our last answer reaches it instead of a reset.
asio::awaitable<void> close_gently(beast::tcp_stream& stream) {
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(linger_timeout);
    std::array<char, 4096> sink{};
    const auto into = asio::buffer(sink);
    for (;;) {
        auto [ec, n] = co_await stream.async_read_some(into, use_tuple);
        if (ec) {
            break;
        }
    }
    stream.socket().close(ignored);
}

// Sends a streamed answer: the header, then each chunk as the handler produces it (gzipped on
// the way when `gzipped`). Returns the body bytes sent, or nullopt when the answer was cut off
// (the client went away or stopped reading, or the handler failed): the connection must close
// then, as the client cannot tell where the answer ended otherwise.
asio::awaitable<std::optional<std::size_t>> write_streamed(beast::tcp_stream& stream, response& res,
                                                           body_chunks& chunks, bool gzipped,
                                                           bool head,
                                                           const exchange_record& record) {
    http::response<http::empty_body> header{std::move(res.base())};
    http::response_serializer<http::empty_body> serializer{header};
    stream.expires_after(write_timeout);
    auto [header_ec, header_n] = co_await http::async_write_header(stream, serializer, use_tuple);
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
    const auto send = [&](const std::string& data) -> asio::awaitable<bool> {
        if (data.empty()) {
            co_return true; // an empty chunk would end a chunked body
        }
        stream.expires_after(write_timeout);
        boost::system::error_code ec;
        if (chunked) {
            auto [chunk_ec, n] =
                co_await asio::async_write(stream, http::make_chunk(asio::buffer(data)), use_tuple);
            ec = chunk_ec;
        } else {
            auto [raw_ec, n] = co_await asio::async_write(stream, asio::buffer(data), use_tuple);
            ec = raw_ec;
        }
        sent += data.size();
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
                spdlog::warn("{} {}: the client stopped reading; answer cut off after {} B",
                             record.method, record.target, sent);
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
    } catch (const std::exception& e) {
        spdlog::error("{} {} (route {}) failed after {} B of its answer: {}; the answer is cut off",
                      record.method, record.target, record.route, sent, e.what());
        co_return std::nullopt;
    }
    if (chunked) {
        stream.expires_after(write_timeout);
        auto [last_ec, n] = co_await asio::async_write(stream, http::make_chunk_last(), use_tuple);
        if (last_ec) {
            co_return std::nullopt;
        }
    }
    co_return sent;
}

asio::awaitable<void> session(std::shared_ptr<shared_state> state,
                              std::shared_ptr<connection> conn) {
    const registration registered(*state, conn);
    const server_options& options = state->options;
    beast::tcp_stream& stream = conn->stream;
    beast::flat_buffer buffer;
    bool fresh = true;   // no request yet: the read deadline runs from the accept
    bool linger = false; // we close with the client possibly still sending
    for (;;) {
        // Waiting for a request to begin is idle time, which the drain may cut short.
        if (buffer.size() == 0) {
            if (state->draining) {
                break;
            }
            conn->idle = true;
            stream.expires_after(fresh ? options.read_timeout : options.idle_timeout);
            const auto space = buffer.prepare(first_read_size);
            auto [wait_ec, got] = co_await stream.async_read_some(space, use_tuple);
            conn->idle = false;
            if (wait_ec) {
                break; // the client left, went quiet too long, or the server is draining
            }
            buffer.commit(got);
        }
        if (!fresh) {
            stream.expires_after(options.read_timeout);
        }
        http::request_parser<http::string_body> parser;
        parser.header_limit(options.header_limit);
        parser.body_limit(options.body_limit);
        auto [read_ec, read_n] = co_await http::async_read(stream, buffer, parser, use_tuple);
        const auto started = steady::now();

        exchange_record record;
        handled answer;
        response& res = answer.res;
        bool keep_alive = false;
        const request* req = nullptr;
        if (read_ec) {
            auto refused = refusal(*state, read_ec);
            if (!refused) {
                break;
            }
            res = std::move(*refused);
            linger = true;
        } else {
            req = &parser.get();
            record.method = std::string(req->method_string());
            record.target = loggable_target(req->target());
            routed r = route(*state, *req, record);
            if (r.ready) {
                res = std::move(*r.ready);
            } else {
                answer = co_await run_handler(*req, r, record.route);
            }
            keep_alive = req->keep_alive() && !state->draining;
            linger = req->keep_alive() && !keep_alive;
        }
        const bool streamed = answer.chunks != nullptr;
        const bool gzip_chunks = finish(*state, req, res, streamed);
        if (streamed && res.version() < 11) {
            keep_alive = false; // the end of the body is the end of the connection
        }
        res.keep_alive(keep_alive);
        if (streamed) {
            const bool head = req->method() == http::verb::head;
            const unsigned status = res.result_int();
            const auto sent =
                co_await write_streamed(stream, res, answer.chunks, gzip_chunks, head, record);
            res.result(status); // the header went out with the body: the log needs the status
            observe(*state, record, res, sent.value_or(0), steady::now() - started);
            if (!sent || !keep_alive) {
                break;
            }
            fresh = false;
            continue;
        }
        const std::size_t body_bytes = res.body().size();
        stream.expires_after(write_timeout);
        auto [write_ec, written] = co_await http::async_write(stream, res, use_tuple);
        observe(*state, record, res, body_bytes, steady::now() - started);
        if (write_ec || !keep_alive) {
            break;
        }
        fresh = false;
    }
    if (linger) {
        co_await close_gently(stream);
    } else {
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream.socket().close(ignored);
    }
}

} // namespace

struct server::impl {
    impl(server_options options, const router& routes)
        : state(std::make_shared<shared_state>(std::move(options), routes)),
          control(asio::make_strand(io)), acceptor(control), signals(control) {}

    // First, so that it goes last: sessions still suspended in it are destroyed with it.
    asio::io_context io;
    std::shared_ptr<shared_state> state;
    // The acceptor, the signals and the drain, one at a time.
    asio::strand<asio::io_context::executor_type> control;
    tcp::acceptor acceptor;
    asio::signal_set signals;
    bool drain_started = false; // on `control` only
    bool finished = false;      // on `control` only: the drain is over, nothing more to wait for
    bool warned_full = false;   // on `control` only: logged the current burst of refusals

    void begin_drain() {
        if (drain_started) {
            return;
        }
        drain_started = true;
        state->draining = true;
        boost::system::error_code ignored;
        acceptor.close(ignored);
        asio::co_spawn(control, drain(), log_failure("api server", "drain"));
    }

    asio::awaitable<void> drain() {
        const std::size_t open = state->open();
        if (open > 0) {
            spdlog::info("api server: stopping; connections open: {}", open);
        }
        state->close_idle();
        const auto deadline = steady::now() + drain_timeout;
        asio::steady_timer tick(control);
        for (;;) {
            const std::size_t left = state->open();
            if (left == 0) {
                break;
            }
            if (steady::now() >= deadline) {
                spdlog::warn("api server: {} connections still busy after {} s; cutting them off",
                             left, drain_timeout.count());
                io.stop();
                co_return;
            }
            tick.expires_after(drain_poll);
            co_await tick.async_wait(use_tuple);
        }
        // The signal wait is the last work left: without it run() returns.
        finished = true;
        boost::system::error_code ignored;
        signals.cancel(ignored);
        spdlog::info("api server: stopped");
    }

    asio::awaitable<void> watch_signals() {
        while (!finished) {
            auto [ec, number] = co_await signals.async_wait(use_tuple);
            if (ec) {
                break;
            }
            if (!drain_started) {
                spdlog::info("api server: signal {}: stopping", number);
                begin_drain();
            } else {
                spdlog::warn("api server: signal {} again: stopping now", number);
                io.stop();
                break;
            }
        }
    }

    asio::awaitable<void> accept_loop() {
        while (!state->draining) {
            const asio::any_io_executor strand = asio::make_strand(io);
            auto [ec, socket] = co_await acceptor.async_accept(strand, use_tuple);
            if (state->draining) {
                break;
            }
            if (ec) {
                // Out of descriptors and the like: back off instead of spinning.
                spdlog::warn("api server: accept: {}", ec.message());
                asio::steady_timer pause(control, accept_pause);
                co_await pause.async_wait(use_tuple);
                continue;
            }
            // Answers are small and written whole: no reason to let Nagle hold them back.
            boost::system::error_code no_delay_ec;
            socket.set_option(tcp::no_delay(true), no_delay_ec);
            auto conn = std::make_shared<connection>(std::move(socket));
            if (!state->admit(conn)) {
                if (!warned_full) {
                    spdlog::warn("api server: {} connections open, the limit; closing new ones",
                                 state->options.max_connections);
                    warned_full = true;
                }
                boost::system::error_code ignored;
                conn->stream.socket().close(ignored);
                continue;
            }
            warned_full = false;
            asio::co_spawn(conn->stream.get_executor(), session(state, conn),
                           log_failure("api server", "session"));
        }
    }
};

server::server(server_options options, const router& routes)
    : impl_(std::make_unique<impl>(std::move(options), routes)) {}

server::~server() = default;

std::uint16_t server::listen() {
    tcp::acceptor& acceptor = impl_->acceptor;
    if (acceptor.is_open()) {
        return acceptor.local_endpoint().port(); // listening already
    }
    const server_options& options = impl_->state->options;
    boost::system::error_code ec;
    tcp::endpoint endpoint;
    const auto address = asio::ip::make_address(options.host, ec);
    if (!ec) {
        endpoint = tcp::endpoint(address, options.port);
    } else {
        // A host name ("localhost"): its first address.
        tcp::resolver resolver(impl_->io);
        const auto found = resolver.resolve(options.host, std::to_string(options.port),
                                            tcp::resolver::passive, ec);
        if (!ec && found.empty()) {
            ec = asio::error::host_not_found;
        }
        if (!ec) {
            endpoint = found.begin()->endpoint();
        }
    }
    if (ec) {
        throw std::runtime_error("cannot listen on " + host_port(options.host, options.port) +
                                 ": " + ec.message());
    }
    return streamscope::http::start_listening(acceptor, endpoint,
                                              host_port(options.host, options.port));
}

void server::run() {
    impl& self = *impl_;
    const std::uint16_t port = listen();
    const unsigned threads = std::max(1U, self.state->options.threads);
    self.signals.add(SIGTERM);
    self.signals.add(SIGINT);
    spdlog::info("api server: listening on {} with {} threads",
                 host_port(self.state->options.host, port), threads);
    asio::co_spawn(self.control, self.accept_loop(), log_failure("api server", "accept loop"));
    asio::co_spawn(self.control, self.watch_signals(), log_failure("api server", "signal watch"));

    std::vector<std::thread> helpers;
    helpers.reserve(threads - 1);
    for (unsigned i = 1; i < threads; ++i) {
        helpers.emplace_back([&self] { self.io.run(); });
    }
    self.io.run();
    for (std::thread& t : helpers) {
        t.join();
    }
    // The signals go back to their default action, as before run().
    boost::system::error_code ignored;
    self.signals.clear(ignored);
}

void server::stop() {
    impl* self = impl_.get();
    asio::post(self->control, [self] { self->begin_drain(); });
}

asio::any_io_executor server::executor() {
    return impl_->io.get_executor();
}

} // namespace streamscope::api

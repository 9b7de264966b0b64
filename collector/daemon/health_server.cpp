#include "collector/daemon/health_server.hpp"

#include <charconv>
#include <cmath>
#include <exception>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <unordered_set>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "collector/daemon/metrics.hpp"
#include "common/http/listen.hpp"
#include "common/time/timestamp.hpp"
#include "common/version.hpp"

namespace streamscope::collector {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using namespace asio::experimental::awaitable_operators;
using std::chrono::system_clock;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Limits next to the I/O they guard. Probes send a few hundred bytes: anything much larger is
// not a probe, and a client that goes quiet holds a session for at most the read timeout.
constexpr auto read_timeout = 10s; // one request, or the wait for the next on a kept-alive one
constexpr auto write_timeout = 10s;
constexpr auto accept_pause = 100ms;
constexpr std::uint32_t header_limit = 8 * 1024;
constexpr std::uint64_t body_limit = 8 * 1024;
constexpr std::size_t max_sessions = 64;

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

// ---- JSON, written by hand: Boost.JSON prints 300.0 as 3E2, which people read on /health.

std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            constexpr std::string_view hex = "0123456789abcdef";
            out += "\\u00";
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
    return out;
}

// Seconds to the millisecond: finer digits are noise for a probe.
std::string json_seconds(double seconds) {
    if (!std::isfinite(seconds)) {
        return "null";
    }
    const double rounded = std::round(seconds * 1000.0) / 1000.0;
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, rounded);
    return ec == std::errc{} ? std::string(buf, end) : "null";
}

std::string json_time(system_clock::time_point t) {
    return json_string(
        time::format_rfc3339(std::chrono::time_point_cast<std::chrono::microseconds>(t)));
}

std::string json_time(const std::optional<system_clock::time_point>& t) {
    return t ? json_time(*t) : "null";
}

double seconds_between(system_clock::time_point from, system_clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

// ---- HTTP

response make_response(http::status status, unsigned version, std::string_view content_type,
                       std::string body) {
    response res{status, version};
    res.set(http::field::content_type, content_type);
    // Probes and scrapers want the state now, never a cached copy.
    res.set(http::field::cache_control, "no-store");
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

response error_response(http::status status, unsigned version, std::string_view code,
                        std::string_view message) {
    return make_response(status, version, "application/json",
                         R"({"error":{"code":)" + json_string(code) + R"(,"message":)" +
                             json_string(message) + "}}");
}

response answer(const request& req, const collector_status& status) {
    const std::string_view target = req.target();
    const std::string_view path = target.substr(0, target.find('?'));
    const bool health = path == "/health";
    if (!health && path != "/metrics") {
        // The path is not echoed: it may hold bytes that are not UTF-8.
        return error_response(http::status::not_found, req.version(), "not_found",
                              "the collector serves GET /health and GET /metrics only");
    }
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
        auto res = error_response(http::status::method_not_allowed, req.version(),
                                  "method_not_allowed", "only GET and HEAD are allowed here");
        res.set(http::field::allow, "GET, HEAD");
        return res;
    }
    const auto now = system_clock::now();
    if (health) {
        return make_response(is_healthy(status, now) ? http::status::ok
                                                     : http::status::service_unavailable,
                             req.version(), "application/json", health_json(status, now));
    }
    return make_response(http::status::ok, req.version(), "text/plain; version=0.0.4",
                         metrics_text(status, now));
}

// HEAD is answered like GET without the body; some probes use it.
response route(const request& req, const collector_status& status) {
    response res = answer(req, status);
    if (req.method() == http::verb::head) {
        // Content-Length stays that of the GET answer, as HEAD requires.
        res.body().clear();
    }
    return res;
}

// The answer to a request that could not be read, or nullopt when there is nobody to answer:
// the peer left, the read timed out (which closes the socket) or the server is stopping.
std::optional<response> refusal(const boost::system::error_code& ec) {
    if (ec == http::error::header_limit) {
        return error_response(http::status::request_header_fields_too_large, 11,
                              "headers_too_large", "request headers are limited to 8 KiB");
    }
    if (ec == http::error::body_limit) {
        return error_response(http::status::payload_too_large, 11, "body_too_large",
                              "request bodies are limited to 8 KiB");
    }
    if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
        return error_response(http::status::bad_request, 11, "bad_request",
                              "not an HTTP/1.1 request: " + ec.message());
    }
    return std::nullopt;
}

} // namespace

std::string health_json(const collector_status& s, system_clock::time_point now) {
    std::string out;
    out += R"({"status":)";
    out += is_healthy(s, now) ? R"("ok")" : R"("failing")";
    out += R"(,"role":)" + json_string(to_string(s.current_role));
    out += R"(,"database":)";
    out += s.database_up ? R"("up")" : R"("down")";
    out += R"(,"last_sweep":)";
    if (s.last_sweep) {
        const sweep_summary& sweep = *s.last_sweep;
        out += R"({"started_at":)" + json_time(sweep.started_at);
        out += R"(,"finished_at":)" + json_time(sweep.finished_at);
        out += R"(,"status":)" + json_string(sweep.status);
        out += R"(,"streams":)" + std::to_string(sweep.streams);
        out += R"(,"pages":)" + std::to_string(sweep.pages);
        out += R"(,"spooled":)";
        out += sweep.spooled ? "true" : "false";
        out += R"(,"age_s":)" + json_seconds(seconds_between(sweep.finished_at, now)) + "}";
    } else {
        out += "null";
    }
    out += R"(,"leader_last_sweep_at":)" + json_time(s.leader_last_sweep_at);
    out += R"(,"spool":{"bytes":)" + std::to_string(s.spool_bytes);
    out += R"(,"files":)" + std::to_string(s.spool_files) + "}";
    out += R"(,"token_expires_in_s":)";
    if (s.token_expires_at) {
        // Whole seconds, rounded down: a token with 0.5 s left is as good as expired.
        out += std::to_string(
            std::chrono::floor<std::chrono::seconds>(*s.token_expires_at - now).count());
    } else {
        out += "null";
    }
    out += R"(,"interval_s":)" + json_seconds(s.interval.count()) + "}";
    return out;
}

struct health_server::impl {
    asio::any_io_executor executor;
    const collector_status& status;
    tcp::endpoint where;
    tcp::acceptor acceptor;
    // Open sessions, so that stop() can reach them; `active` also counts those spawned but not
    // yet running.
    std::unordered_set<beast::tcp_stream*> sessions;
    std::size_t active = 0;
    bool started = false;
    bool stopping = false;

    impl(asio::any_io_executor ex, const collector_status& s, tcp::endpoint w)
        : executor(std::move(ex)), status(s), where(w), acceptor(executor) {}

    void stop() {
        stopping = true;
        boost::system::error_code ignored;
        acceptor.close(ignored);
        for (beast::tcp_stream* stream : sessions) {
            stream->cancel();
        }
    }

    // Registers a session with the server for its lifetime.
    class registration {
    public:
        registration(impl& server, beast::tcp_stream& stream) : server_(server), stream_(stream) {
            server_.sessions.insert(&stream_);
        }
        ~registration() {
            server_.sessions.erase(&stream_);
            --server_.active;
        }
        registration(const registration&) = delete;
        registration& operator=(const registration&) = delete;

    private:
        impl& server_;
        beast::tcp_stream& stream_;
    };

    static asio::awaitable<void> session(std::shared_ptr<impl> self, tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        const registration registered(*self, stream);
        beast::flat_buffer buffer;
        while (!self->stopping) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(header_limit);
            parser.body_limit(body_limit);
            stream.expires_after(read_timeout);
            auto [read_ec, read_n] = co_await http::async_read(stream, buffer, parser, use_tuple);
            // Once stopping, the status may be gone: not another look at it.
            if (self->stopping) {
                break;
            }
            response res;
            bool keep_alive = false;
            if (read_ec) {
                auto refused = refusal(read_ec);
                if (!refused) {
                    break;
                }
                res = std::move(*refused);
            } else {
                const request& req = parser.get();
                res = route(req, self->status);
                keep_alive = req.keep_alive();
            }
            res.keep_alive(keep_alive);
            stream.expires_after(write_timeout);
            auto [write_ec, write_n] = co_await http::async_write(stream, res, use_tuple);
            if (write_ec || !keep_alive) {
                break;
            }
        }
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream.socket().close(ignored);
    }

    static asio::awaitable<void> accept_loop(std::shared_ptr<impl> self) {
        while (!self->stopping) {
            auto [ec, socket] = co_await self->acceptor.async_accept(use_tuple);
            if (self->stopping) {
                break;
            }
            if (ec) {
                // Out of descriptors and the like: back off instead of spinning.
                spdlog::warn("health server: accept: {}", ec.message());
                asio::steady_timer pause(self->executor, accept_pause);
                co_await pause.async_wait(use_tuple);
                continue;
            }
            if (self->active >= max_sessions) {
                // Probes come one at a time: this many at once is a misbehaving client, and closing
                // at once costs less than queueing it.
                boost::system::error_code ignored;
                socket.close(ignored);
                continue;
            }
            ++self->active;
            asio::co_spawn(self->executor, session(self, std::move(socket)),
                           streamscope::http::log_failure("health server", "session"));
        }
    }
};

health_server::health_server(asio::any_io_executor executor, const collector_status& status,
                             tcp::endpoint where)
    : impl_(std::make_shared<impl>(std::move(executor), status, where)) {}

health_server::~health_server() {
    impl_->stop();
}

std::uint16_t health_server::listen() {
    const tcp::endpoint& endpoint = impl_->where;
    tcp::acceptor& acceptor = impl_->acceptor;
    if (acceptor.is_open()) {
        return acceptor.local_endpoint().port(); // listening already
    }
    return streamscope::http::start_listening(acceptor, endpoint);
}

void health_server::start() {
    if (impl_->started || impl_->stopping) {
        return;
    }
    if (!impl_->acceptor.is_open()) {
        listen();
    }
    impl_->started = true;
    asio::co_spawn(impl_->executor, impl::accept_loop(impl_),
                   streamscope::http::log_failure("health server", "accept loop"));
}

void health_server::stop() {
    impl_->stop();
}

} // namespace streamscope::collector

#include "tests/platform_mock/server.hpp"

#include <chrono>
#include <exception>
#include <sstream>
#include <stdexcept>
#include <sys/resource.h>
#include <unordered_set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <spdlog/spdlog.h>

#include "common/http/listen.hpp"

namespace streamscope::platform_mock {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Limits next to the I/O they guard.
constexpr auto handshake_timeout = 10s;
constexpr auto idle_timeout = 60s; // between requests on a keep-alive connection
constexpr auto write_timeout = 30s;
constexpr auto tls_shutdown_timeout = 2s;
constexpr auto stop_tls_shutdown_timeout = 100ms;
constexpr auto stop_grace = 5s;
constexpr auto outgoing_timeout = 5s; // each step of a request the mock makes (WebSub's hub)
constexpr std::uint32_t header_limit = 64 * 1024; // 200 ids in a query string fit easily
constexpr std::uint64_t body_limit = 1024 * 1024;

// Benchmarks open many connections; the default soft limit of 1024 descriptors is too low.
void raise_descriptor_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

// Closes with RST instead of FIN: the peer sees "connection reset", as when a proxy dies.
void reset(tcp::socket& socket) {
    boost::system::error_code ignored;
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
}

// Takes the body out of `r`: pages are tens of kilobytes, not worth copying.
http::response<http::string_body> to_response(reply& r, unsigned version, bool keep_alive) {
    http::response<http::string_body> res{static_cast<http::status>(r.status), version};
    res.set(http::field::content_type, r.content_type);
    if (r.rate_limit) {
        res.set("Ratelimit-Limit", std::to_string(r.rate_limit->limit));
        res.set("Ratelimit-Remaining", std::to_string(r.rate_limit->remaining));
        res.set("Ratelimit-Reset", std::to_string(r.rate_limit->reset));
    }
    for (const auto& [name, value] : r.headers) {
        res.set(name, value);
    }
    res.keep_alive(keep_alive);
    res.body() = std::move(r.body);
    res.prepare_payload();
    return res;
}

class listener {
public:
    listener(asio::io_context& io, ssl::context& tls, service& svc, bool verbose)
        : io_(io), tls_(tls), service_(svc), verbose_(verbose), acceptor_(io),
          signals_(io, SIGINT, SIGTERM), grace_timer_(io) {}

    // Throws std::runtime_error naming the address and the reason when it cannot listen.
    std::uint16_t listen(const tcp::endpoint& endpoint) {
        return streamscope::http::start_listening(acceptor_, endpoint);
    }

    void start() {
        asio::co_spawn(io_, accept_loop(), streamscope::http::log_failure("mock", "accept loop"));
        signals_.async_wait([this](boost::system::error_code ec, int) {
            if (!ec) {
                stop();
            }
        });
    }

private:
    // One per open connection, registered so that stop() can reach it.
    struct connection {
        listener& owner;
        ssl::stream<beast::tcp_stream> stream;
        asio::steady_timer delay;
        bool idle = true; // handshaking, waiting for a request or closing: stop() may cut it

        connection(listener& l, tcp::socket socket)
            : owner(l), stream(beast::tcp_stream(std::move(socket)), l.tls_), delay(l.io_) {
            owner.connections_.insert(this);
        }
        ~connection() {
            owner.connections_.erase(this);
            if (owner.stopping_ && owner.connections_.empty()) {
                owner.grace_timer_.cancel();
            }
        }
        connection(const connection&) = delete;
        connection& operator=(const connection&) = delete;

        tcp::socket& socket() { return beast::get_lowest_layer(stream).socket(); }
    };

    asio::awaitable<void> accept_loop() {
        while (!stopping_) {
            auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
            if (stopping_) {
                break;
            }
            if (ec) {
                // Out of descriptors and the like: back off instead of spinning.
                spdlog::warn("accept: {}", ec.message());
                asio::steady_timer pause(io_, 100ms);
                co_await pause.async_wait(use_tuple);
                continue;
            }
            boost::system::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            asio::co_spawn(io_, session(std::move(socket)),
                           streamscope::http::log_failure("mock", "connection"));
        }
    }

    asio::awaitable<void> session(tcp::socket socket) {
        connection conn(*this, std::move(socket));
        auto& transport = beast::get_lowest_layer(conn.stream);

        transport.expires_after(handshake_timeout);
        if (auto [ec] = co_await conn.stream.async_handshake(ssl::stream_base::server, use_tuple);
            ec) {
            spdlog::debug("TLS handshake: {}", ec.message());
            co_return;
        }
        boost::system::error_code peer_ec;
        const auto remote = conn.socket().remote_endpoint(peer_ec);
        const std::string peer = peer_ec ? std::string() : remote.address().to_string();
        beast::flat_buffer buffer;
        while (!stopping_) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(header_limit);
            parser.body_limit(body_limit);
            conn.idle = true;
            transport.expires_after(idle_timeout);
            auto [read_ec, read_n] =
                co_await http::async_read(conn.stream, buffer, parser, use_tuple);
            conn.idle = false;
            if (read_ec) {
                // EOF, idle timeout, stream_truncated (a client closing without close_notify is
                // common and harmless) or a malformed request: the connection ends either way.
                break;
            }
            const auto& req = parser.get();
            const auto started = std::chrono::steady_clock::now();
            reply rep = handle(req, peer);
            send_outgoing();
            const std::size_t body_size = rep.body.size();

            if (rep.delay > 0ms) {
                conn.delay.expires_after(rep.delay);
                co_await conn.delay.async_wait(use_tuple); // cut short by stop()
            }
            if (rep.how == delivery::reset) {
                log(req, rep, body_size, started);
                reset(conn.socket());
                co_return;
            }
            const bool keep_alive = req.keep_alive() && !rep.shutdown_after && !stopping_;
            auto res = to_response(rep, req.version(), keep_alive);
            transport.expires_after(write_timeout);
            if (rep.how == delivery::truncate) {
                // Promise the whole body, deliver half, hang up: a client must notice.
                http::response_serializer<http::string_body> serializer{res};
                auto [header_ec, header_n] =
                    co_await http::async_write_header(conn.stream, serializer, use_tuple);
                if (!header_ec) {
                    co_await asio::async_write(
                        conn.stream, asio::buffer(res.body().data(), res.body().size() / 2),
                        use_tuple);
                }
                log(req, rep, body_size, started);
                boost::system::error_code ignored;
                conn.socket().close(ignored);
                co_return;
            }
            auto [write_ec, write_n] = co_await http::async_write(conn.stream, res, use_tuple);
            log(req, rep, body_size, started);
            if (rep.shutdown_after) {
                stop();
            }
            if (write_ec) {
                co_return;
            }
            if (!keep_alive) {
                break;
            }
        }
        // close_notify, so that the client knows the answer was complete; a client that does
        // not answer it costs this connection at most the timeout (less when stopping, and
        // stop() may cut it: nothing is half-sent any more).
        conn.idle = true;
        transport.expires_after(stopping_ ? stop_tls_shutdown_timeout : tls_shutdown_timeout);
        co_await conn.stream.async_shutdown(use_tuple);
    }

    // The requests the platforms queued (WebSub's verifications and notifications), each on a
    // coroutine of its own, plain HTTP with a deadline per step; answers go back to the service.
    void send_outgoing() {
        for (youtube::outgoing_call& call : service_.take_outgoing()) {
            asio::co_spawn(io_, deliver(io_, service_, std::move(call)), asio::detached);
        }
    }

    static asio::awaitable<void> deliver(asio::io_context& io, service& svc,
                                         youtube::outgoing_call call) {
        unsigned status = 0;
        std::string body;
        tcp::resolver resolver(io);
        beast::tcp_stream stream(io);
        stream.expires_after(outgoing_timeout);
        auto [resolve_ec, endpoints] =
            co_await resolver.async_resolve(call.host, call.port, use_tuple);
        if (!resolve_ec) {
            auto [connect_ec, connected] = co_await stream.async_connect(endpoints, use_tuple);
            if (!connect_ec) {
                http::request<http::string_body> req{
                    call.method == "POST" ? http::verb::post : http::verb::get, call.target, 11};
                req.set(http::field::host, call.host + ":" + call.port);
                req.set(http::field::user_agent, "FeedFetcher-Google (mock)");
                for (const auto& [name, value] : call.headers) {
                    req.set(name, value);
                }
                req.body() = call.body;
                req.prepare_payload();
                stream.expires_after(outgoing_timeout);
                auto [write_ec, written] = co_await http::async_write(stream, req, use_tuple);
                if (!write_ec) {
                    beast::flat_buffer buffer;
                    http::response_parser<http::string_body> parser;
                    parser.body_limit(64 * 1024);
                    stream.expires_after(outgoing_timeout);
                    auto [read_ec, read] =
                        co_await http::async_read(stream, buffer, parser, use_tuple);
                    if (!read_ec) {
                        status = parser.get().result_int();
                        body = parser.get().body();
                    }
                }
            }
        }
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        svc.answered(call.id, status, body);
    }

    reply handle(const http::request<http::string_body>& req, std::string_view peer) {
        const auto header = [&](http::field f) -> std::optional<std::string_view> {
            const auto it = req.find(f);
            return it == req.end() ? std::nullopt : std::optional(std::string_view(it->value()));
        };
        const auto client_id = req.find("Client-Id");
        const request r{
            req.method_string(),
            req.target(),
            header(http::field::authorization),
            client_id == req.end() ? std::nullopt
                                   : std::optional(std::string_view(client_id->value())),
            req.body(),
            peer,
        };
        try {
            return service_.handle(r);
        } catch (const std::exception& e) {
            spdlog::error("{} {}: {}", r.method, r.target, e.what());
            return json_reply(500, boost::json::object{{"message", "internal error"}});
        }
    }

    void log(const http::request<http::string_body>& req, const reply& rep, std::size_t body_size,
             std::chrono::steady_clock::time_point started) const {
        if (!verbose_) {
            return;
        }
        const std::chrono::duration<double, std::milli> took =
            std::chrono::steady_clock::now() - started;
        const char* how = rep.how == delivery::reset      ? " (reset)"
                          : rep.how == delivery::truncate ? " (truncated)"
                                                          : "";
        spdlog::info("{} {} {}{} {}B {:.1f}ms", std::string_view(req.method_string()),
                     redacted(req.target()), rep.status, how, body_size, took.count());
    }

    // Clients may send the client secret in the query string of POST /oauth2/token.
    static std::string redacted(std::string_view target) {
        std::string out(target);
        constexpr std::string_view key = "client_secret=";
        for (auto at = out.find(key); at != std::string::npos; at = out.find(key, at)) {
            at += key.size();
            const auto end = out.find('&', at);
            out.replace(at, end == std::string::npos ? std::string::npos : end - at, "***");
        }
        return out;
    }

    // Stops accepting, ends idle connections and cuts delays short; connections busy writing
    // finish their answer first. run() returns when the last one is gone, or after the grace
    // period.
    void stop() {
        if (stopping_) {
            return;
        }
        stopping_ = true;
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        signals_.cancel(ignored);
        for (connection* c : connections_) {
            c->delay.cancel();
            if (c->idle) {
                beast::get_lowest_layer(c->stream).cancel();
            }
        }
        if (!connections_.empty()) {
            grace_timer_.expires_after(stop_grace);
            grace_timer_.async_wait([this](boost::system::error_code ec) {
                if (ec) {
                    return;
                }
                spdlog::warn("{} connection(s) still busy after {} s; closing them",
                             connections_.size(), stop_grace.count());
                // Closing (rather than io_context::stop) lets every coroutine unwind while the
                // listener they refer to still exists.
                for (connection* c : connections_) {
                    c->delay.cancel();
                    reset(c->socket());
                }
            });
        }
    }

    asio::io_context& io_;
    ssl::context& tls_;
    service& service_;
    bool verbose_;
    tcp::acceptor acceptor_;
    asio::signal_set signals_;
    asio::steady_timer grace_timer_;
    std::unordered_set<connection*> connections_;
    bool stopping_ = false;
};

} // namespace

void serve(service& svc, const server_options& options,
           const std::function<void(std::uint16_t port)>& on_listening) {
    raise_descriptor_limit();
    ssl::context tls(ssl::context::tls_server);
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    tls.use_certificate_chain(asio::buffer(options.certificate_pem));
    tls.use_private_key(asio::buffer(options.private_key_pem), ssl::context::pem);

    asio::io_context io(1);
    listener server(io, tls, svc, options.verbose);
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(options.host, ec);
    if (ec) {
        throw std::runtime_error("cannot listen on " + options.host + ": not an IP address");
    }
    const tcp::endpoint endpoint(address, options.port);
    on_listening(server.listen(endpoint));
    server.start();
    io.run();
}

} // namespace streamscope::platform_mock

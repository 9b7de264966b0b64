#include "common/http/healthcheck.hpp"

#include <exception>
#include <iostream>
#include <optional>
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
#include <boost/beast/ssl/ssl_stream.hpp>

#include "common/http/listen.hpp"
#include "common/http/use_tuple.hpp"
#include "common/version.hpp"

namespace streamscope::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

constexpr std::uint64_t healthcheck_body_limit = 1024 * 1024;
using probe_request = bhttp::request<bhttp::string_body>;
using probe_response = bhttp::response<bhttp::string_body>;

struct probe_result {
    std::optional<probe_response> answer;
    std::string failure; // why there is no answer
};

std::string health_url(const std::string& host, std::uint16_t port, bool https) {
    return (https ? "https://" : "http://") + host_port(host, port) + "/health";
}

// GET /health over `stream`, connected (and with TLS, shaken hands).
template <class Stream>
asio::awaitable<probe_result> ask(Stream& stream, const std::string& host, std::uint16_t port,
                                  const std::string& url, const std::string& too_slow) {
    probe_result result;
    probe_request req{bhttp::verb::get, "/health", 11};
    req.set(bhttp::field::host, host_port(host, port));
    req.set(bhttp::field::user_agent,
            std::string("streamscope-healthcheck/") + std::string(streamscope::version));
    req.keep_alive(false);
    auto [write_ec, write_n] = co_await bhttp::async_write(stream, req, use_tuple);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(healthcheck_body_limit);
    beast::flat_buffer buffer;
    boost::system::error_code read_ec;
    if (!write_ec) {
        auto [ec, read_n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
        read_ec = ec;
    }
    const auto failed = write_ec ? write_ec : read_ec;
    if (failed) {
        result.failure = failed == beast::error::timeout ? too_slow : url + ": " + failed.message();
        co_return result;
    }
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
    result.answer = parser.release();
    co_return result;
}

asio::awaitable<probe_result> probe(std::string host, std::uint16_t port,
                                    std::chrono::milliseconds timeout, bool https) {
    const auto executor = co_await asio::this_coro::executor;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string url = health_url(host, port, https);
    const std::string too_slow =
        "no answer from " + url + " within " + std::to_string(timeout.count()) + " ms";
    probe_result result;

    // The resolver has no deadline of its own: it races a timer.
    tcp::resolver resolver(executor);
    asio::steady_timer timer(executor, deadline);
    auto resolved = co_await (resolver.async_resolve(host, std::to_string(port), use_tuple) ||
                              timer.async_wait(use_tuple));
    if (resolved.index() == 1) {
        result.failure = too_slow;
        co_return result;
    }
    auto [resolve_ec, endpoints] = std::get<0>(std::move(resolved));
    if (resolve_ec) {
        result.failure = "cannot resolve " + host + ": " + resolve_ec.message();
        co_return result;
    }

    beast::tcp_stream stream(executor);
    stream.expires_at(deadline);
    auto [connect_ec, connected] = co_await stream.async_connect(endpoints, use_tuple);
    if (connect_ec) {
        result.failure =
            connect_ec == beast::error::timeout
                ? too_slow
                : "cannot connect to " + host_port(host, port) + ": " + connect_ec.message();
        co_return result;
    }

    if (!https) {
        co_return co_await ask(stream, host, port, url, too_slow);
    }
    // The server's own port, asked by address: its certificate names the public host, so it
    // is not checked here. The probe says whether the server answers, not who it is.
    asio::ssl::context tls{asio::ssl::context::tls_client};
    tls.set_verify_mode(asio::ssl::verify_none);
    beast::ssl_stream<beast::tcp_stream&> secure{stream, tls};
    auto [handshake_ec] =
        co_await secure.async_handshake(asio::ssl::stream_base::client, use_tuple);
    if (handshake_ec) {
        result.failure = handshake_ec == beast::error::timeout
                             ? too_slow
                             : url + ": TLS handshake failed: " + handshake_ec.message();
        co_return result;
    }
    co_return co_await ask(secure, host, port, url, too_slow);
}

} // namespace

int run_healthcheck(std::string host, std::uint16_t port, std::chrono::milliseconds timeout,
                    std::ostream& out, std::ostream& err, bool https) {
    const std::string url = health_url(host, port, https);
    probe_result result;
    try {
        asio::io_context io(1);
        // An exception from the coroutine leaves io.run() through this handler.
        asio::co_spawn(io, probe(std::move(host), port, timeout, https),
                       [&result](std::exception_ptr e, probe_result r) {
                           if (e) {
                               std::rethrow_exception(e);
                           }
                           result = std::move(r);
                       });
        io.run();
    } catch (const std::exception& e) {
        result.failure = url + ": " + e.what();
    }
    if (!result.answer) {
        err << "healthcheck: " << result.failure << '\n';
        return 1;
    }
    const probe_response& res = *result.answer;
    out << res.body();
    if (!res.body().empty() && res.body().back() != '\n') {
        out << '\n';
    }
    out.flush();
    if (res.result() != bhttp::status::ok) {
        err << "healthcheck: " << url << " answered " << res.result_int() << ' '
            << std::string_view(res.reason()) << '\n';
        return 1;
    }
    return 0;
}

int run_healthcheck(std::string host, std::uint16_t port, std::chrono::milliseconds timeout,
                    bool https) {
    return run_healthcheck(std::move(host), port, timeout, std::cout, std::cerr, https);
}

} // namespace streamscope::http

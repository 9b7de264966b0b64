#include "collector/webhooks/http_sender.hpp"

#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "collector/webhooks/webhook_request.hpp"
#include "common/http/retry_after.hpp"
#include "common/http/tls_peer.hpp"
#include "common/webhooks/address_filter.hpp"

namespace streamscope::webhooks {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

struct exchange_answer {
    unsigned status = 0;
    std::optional<std::chrono::seconds> retry_after;
};

exchange_answer answer_of(const http::response& res) {
    exchange_answer out;
    out.status = static_cast<unsigned>(res.result_int());
    const auto it = res.find(beast::http::field::retry_after);
    if (it != res.end()) {
        out.retry_after =
            http::retry_after_wait(std::string_view(it->value().data(), it->value().size()),
                                   std::chrono::system_clock::now());
    }
    return out;
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// One exchange over plain TCP or TLS; throws on every transport failure.
asio::awaitable<exchange_answer> exchange_with(const target_url& target,
                                               const std::vector<tcp::endpoint>& endpoints,
                                               http::request req, asio::ssl::context& tls,
                                               std::chrono::steady_clock::time_point deadline) {
    const auto executor = co_await asio::this_coro::executor;
    beast::flat_buffer buffer;
    // Only the status line and headers are read: the body says nothing a delivery needs, and
    // the connection is closed after the answer.
    beast::http::response_parser<beast::http::string_body> parser;
    const auto left = [deadline] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
    };
    if (!target.tls) {
        beast::tcp_stream stream{executor};
        stream.expires_after(left());
        co_await stream.async_connect(endpoints, asio::use_awaitable);
        stream.expires_after(left());
        co_await beast::http::async_write(stream, req, asio::use_awaitable);
        co_await beast::http::async_read_header(stream, buffer, parser, asio::use_awaitable);
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        co_return answer_of(parser.get());
    }
    beast::ssl_stream<beast::tcp_stream> stream{executor, tls};
    auto& lowest = beast::get_lowest_layer(stream);
    lowest.expires_after(left());
    co_await lowest.async_connect(endpoints, asio::use_awaitable);
    http::expect_peer(stream.native_handle(), target.host);
    lowest.expires_after(left());
    bool handshake_failed = false;
    try {
        co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    } catch (const boost::system::system_error&) {
        handshake_failed = true;
    }
    if (handshake_failed) {
        const auto refusal = http::certificate_refusal(stream.native_handle());
        throw std::runtime_error(refusal ? "the TLS certificate of " + target.host +
                                               " is not trusted (" + *refusal + ")"
                                         : "the TLS handshake with " + target.host + " failed");
    }
    lowest.expires_after(left());
    co_await beast::http::async_write(stream, req, asio::use_awaitable);
    co_await beast::http::async_read_header(stream, buffer, parser, asio::use_awaitable);
    lowest.close(); // no TLS close_notify wait: the answer is in
    co_return answer_of(parser.get());
}

std::string transport_error(const std::string& host, const std::exception& e) {
    return "no answer from " + host + ": " + e.what();
}

} // namespace

asio::awaitable<attempt_result> post_webhook(http_delivery delivery, asio::ssl::context& tls,
                                             std::chrono::milliseconds timeout,
                                             bool allow_private) {
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + timeout;
    attempt_result out;
    auto target = check_url(delivery.url, allow_private);
    if (!target) {
        out.permanent = true;
        out.error = "webhook target refused: " + target.error().message;
        co_return out;
    }
    std::vector<tcp::endpoint> endpoints;
    bool refused = false;
    std::string problem;
    try {
        endpoints = co_await resolve_allowed(target->host, target->port, allow_private, timeout);
    } catch (const refused_target& e) {
        refused = true;
        problem = e.what();
    } catch (const boost::system::system_error& e) {
        if (e.code() == asio::error::operation_aborted) {
            throw;
        }
        problem = "cannot resolve " + target->host + ": " + e.code().message();
    }
    if (refused || !problem.empty()) {
        out.permanent = refused;
        out.error = problem;
        out.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        co_return out;
    }
    http::request req = signed_request(*target, delivery.secret, delivery.event_id, unix_now(),
                                       std::move(delivery.body), delivery.content_type);
    try {
        const exchange_answer answer =
            co_await exchange_with(*target, endpoints, std::move(req), tls, deadline);
        out.status = answer.status;
        out.retry_after = answer.retry_after;
        if (answer.status < 200 || answer.status >= 300) {
            out.error = "the target answered " + std::to_string(answer.status);
        }
    } catch (const boost::system::system_error& e) {
        if (e.code() == asio::error::operation_aborted &&
            std::chrono::steady_clock::now() < deadline) {
            throw;
        }
        out.error = e.code() == beast::error::timeout || e.code() == asio::error::operation_aborted
                        ? "no answer from " + target->host + " within the timeout"
                        : transport_error(target->host, e);
    } catch (const std::exception& e) {
        out.error = transport_error(target->host, e);
    }
    out.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    co_return out;
}

} // namespace streamscope::webhooks

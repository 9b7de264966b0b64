#include "common/http/client.hpp"

#include <stdexcept>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>

#include "common/http/tls_peer.hpp"
#include "common/version.hpp"

namespace streamscope::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr std::uint64_t body_limit = 32u << 20;

// A kept-alive connection that the server closed shows up as one of these on the next use.
bool is_stale_connection(const boost::system::error_code& ec) {
    return ec == beast::http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

} // namespace

boost::system::result<origin> origin::parse(std::string_view url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed) {
        return parsed.error();
    }
    if (parsed->scheme() != "https" || parsed->host().empty() || parsed->has_query() ||
        parsed->has_userinfo()) {
        return boost::system::errc::make_error_code(boost::system::errc::invalid_argument);
    }
    origin out;
    out.host = parsed->encoded_host_address().decode();
    out.port = parsed->has_port() ? std::string(parsed->port()) : "443";
    out.base_path = std::string(parsed->encoded_path());
    while (!out.base_path.empty() && out.base_path.back() == '/') {
        out.base_path.pop_back();
    }
    return out;
}

std::string origin::to_string() const {
    return "https://" + host + (port == "443" ? "" : ":" + port) + base_path;
}

asio::ssl::context make_tls_context(const std::optional<std::string>& extra_ca_file) {
    asio::ssl::context tls{asio::ssl::context::tls_client};
    tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                    asio::ssl::context::no_tlsv1_1);
    tls.set_default_verify_paths();
    if (extra_ca_file) {
        boost::system::error_code ec;
        tls.load_verify_file(*extra_ca_file, ec);
        if (ec) {
            throw std::runtime_error("cannot load the CA file " + *extra_ca_file + ": " +
                                     ec.message());
        }
    }
    tls.set_verify_mode(asio::ssl::verify_peer);
    return tls;
}

struct client::connection {
    beast::ssl_stream<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    bool used = false; // a request went over it: the server may since have closed it

    connection(asio::any_io_executor ex, asio::ssl::context& tls) : stream(ex, tls) {}
};

client::client(asio::any_io_executor executor, asio::ssl::context& tls, origin where,
               timeouts limits)
    : executor_(std::move(executor)), tls_(tls), origin_(std::move(where)), limits_(limits) {}

client::~client() = default;

void client::close() {
    if (conn_) {
        boost::system::error_code ignored;
        beast::get_lowest_layer(conn_->stream).socket().close(ignored);
        conn_.reset();
    }
}

void client::cancel() {
    if (conn_) {
        beast::get_lowest_layer(conn_->stream).cancel();
    }
}

asio::awaitable<void> client::connect() {
    auto conn = std::make_unique<connection>(executor_, tls_);
    auto& tcp_layer = beast::get_lowest_layer(conn->stream);

    // The resolver has no deadline of its own: it races a timer.
    tcp::resolver resolver{executor_};
    asio::steady_timer deadline{executor_, limits_.connect};
    auto resolved =
        co_await (resolver.async_resolve(origin_.host, origin_.port, asio::use_awaitable) ||
                  deadline.async_wait(asio::use_awaitable));
    if (resolved.index() == 1) {
        throw boost::system::system_error(asio::error::timed_out, "resolving " + origin_.host);
    }
    const auto& endpoints = std::get<0>(resolved);
    tcp_layer.expires_after(limits_.connect);
    co_await tcp_layer.async_connect(endpoints, asio::use_awaitable);

    SSL* ssl = conn->stream.native_handle();
    expect_peer(ssl, origin_.host);
    tcp_layer.expires_after(limits_.connect);
    try {
        co_await conn->stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    } catch (const boost::system::system_error& e) {
        const auto refusal = certificate_refusal(ssl);
        if (!refusal) {
            throw;
        }
        throw untrusted_certificate("the TLS certificate of " + origin_.host + ":" + origin_.port +
                                    " is not trusted (" + *refusal + ")");
    }
    conn_ = std::move(conn);
}

asio::awaitable<response> client::exchange(const request& req) {
    auto& tcp_layer = beast::get_lowest_layer(conn_->stream);
    tcp_layer.expires_after(limits_.exchange);
    conn_->used = true;
    co_await beast::http::async_write(conn_->stream, req, asio::use_awaitable);

    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(body_limit);
    co_await beast::http::async_read(conn_->stream, conn_->buffer, parser, asio::use_awaitable);
    tcp_layer.expires_never();
    co_return parser.release();
}

asio::awaitable<response> client::send(request req) {
    req.version(11);
    req.set(beast::http::field::host,
            origin_.port == "443" ? origin_.host : origin_.host + ":" + origin_.port);
    req.set(beast::http::field::user_agent,
            std::string("streamscope/") + std::string(streamscope::version));
    req.keep_alive(true);
    req.prepare_payload();

    for (int attempt = 0;; ++attempt) {
        if (!conn_) {
            co_await connect();
        }
        const bool reused = conn_->used;
        std::exception_ptr failure;
        bool stale = false;
        try {
            response res = co_await exchange(req);
            if (res.need_eof()) {
                close(); // the server asked to close (Connection: close, or no length)
            }
            co_return res;
        } catch (const boost::system::system_error& e) {
            failure = std::current_exception();
            stale = reused && attempt == 0 && is_stale_connection(e.code());
        }
        close();
        // A kept-alive connection that the server has closed fails at once with EOF or a
        // reset. That says nothing about the request, so it goes once more on a new connection.
        if (!stale) {
            std::rethrow_exception(failure);
        }
    }
}

} // namespace streamscope::http

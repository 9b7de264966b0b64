#pragma once
// An HTTPS client for one origin: a kept-alive TLS connection, certificate and host-name
// verification, and a deadline on every step. One request at a time per client; callers that
// want parallel requests use several clients.

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/result.hpp>

#include "common/http/message.hpp"

namespace streamscope::http {

// https://host[:port][/base/path], as the *_BASE_URL settings give it.
struct origin {
    std::string host;
    std::string port;      // "443" when the URL names none
    std::string base_path; // without a trailing slash; "" for the root

    static boost::system::result<origin> parse(std::string_view url);
    std::string to_string() const;
};

// The server's certificate failed verification (untrusted issuer, wrong host name, expired).
// Not a transient failure: retrying cannot help, so it is not a system_error that retry loops
// catch.
class untrusted_certificate : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct timeouts {
    std::chrono::milliseconds connect{5000};   // DNS, TCP connect and TLS handshake
    std::chrono::milliseconds exchange{15000}; // writing the request and reading the response
};

// A TLS client context that verifies peers against the system store plus `extra_ca_file`
// (a PEM file) when given. Throws std::runtime_error naming the file when it cannot be read.
boost::asio::ssl::context make_tls_context(const std::optional<std::string>& extra_ca_file);

class client {
public:
    client(boost::asio::any_io_executor executor, boost::asio::ssl::context& tls, origin where,
           timeouts limits);
    ~client();
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    // Sends `req` (Host, User-Agent and keep-alive are filled in) and reads the whole response.
    // Reuses the open connection; when a reused connection turns out to be closed by the server
    // before any response arrived, reconnects and sends once more. Throws
    // boost::system::system_error on transport failure: timeout, refused, reset, or a
    // response cut short. Throws untrusted_certificate when the certificate fails verification
    // (during the handshake, before any request is sent). Bodies are limited to 32 MiB.
    boost::asio::awaitable<response> send(request req);

    // Drops the connection; the next send opens a new one. Not while a send is pending.
    void close();

    // Aborts a pending send (it throws operation_aborted); safe to call at any time, e.g. from
    // a signal handler on the same io_context.
    void cancel();

    const origin& where() const { return origin_; }

private:
    struct connection;
    boost::asio::awaitable<void> connect();
    boost::asio::awaitable<response> exchange(const request& req);

    boost::asio::any_io_executor executor_;
    boost::asio::ssl::context& tls_;
    origin origin_;
    timeouts limits_;
    std::unique_ptr<connection> conn_;
};

} // namespace streamscope::http

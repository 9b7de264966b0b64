#pragma once
// A plain HTTP/1.1 client for tests of our servers: every step has a 5-second deadline, so a
// broken server fails the test instead of hanging it, and each step leaves its error code in
// `error` instead of throwing, so tests can check how a server cut a connection.

#include <cstdint>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace streamscope::testing {

class raw_http_client {
public:
    using request = boost::beast::http::request<boost::beast::http::string_body>;
    using response = boost::beast::http::response<boost::beast::http::string_body>;

    // Connects to 127.0.0.1:port.
    explicit raw_http_client(std::uint16_t port);

    // Writes the request and reads the answer (without a body for HEAD).
    response send(const request& req);
    // A request with only a Host header.
    response send(boost::beast::http::verb method, const std::string& target);

    void write(const request& req);
    // Bytes as they are: for malformed and partial requests.
    void write_bytes(const std::string& bytes);
    // The next answer; its body at most 1 MiB.
    response read(bool head = false);

    boost::system::error_code error;

private:
    template <typename Start>
    boost::system::error_code wait(Start start);

    boost::asio::io_context io_;
    boost::beast::tcp_stream stream_{io_};
    boost::beast::flat_buffer buffer_;
};

} // namespace streamscope::testing

#include "tests/support/raw_http_client.hpp"

#include <chrono>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace streamscope::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

// Runs one asynchronous step to its end (or its deadline) and returns its error.
template <typename Start>
boost::system::error_code raw_http_client::wait(Start start) {
    boost::system::error_code result;
    start([&result](boost::system::error_code ec, auto&&...) { result = ec; });
    io_.restart();
    io_.run();
    return result;
}

raw_http_client::raw_http_client(std::uint16_t port) {
    stream_.expires_after(5s);
    error = wait([&](auto handler) {
        stream_.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                              handler);
    });
}

raw_http_client::response raw_http_client::send(const request& req) {
    write(req);
    return read(req.method() == http::verb::head);
}

raw_http_client::response raw_http_client::send(http::verb method, const std::string& target) {
    request req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    return send(req);
}

void raw_http_client::write(const request& req) {
    stream_.expires_after(5s);
    error = wait([&](auto handler) { http::async_write(stream_, req, handler); });
}

void raw_http_client::write_bytes(const std::string& bytes) {
    stream_.expires_after(5s);
    error = wait([&](auto handler) { asio::async_write(stream_, asio::buffer(bytes), handler); });
}

raw_http_client::response raw_http_client::read(bool head) {
    http::response_parser<http::string_body> parser;
    parser.skip(head);
    parser.body_limit(1 << 20);
    stream_.expires_after(5s);
    error = wait([&](auto handler) { http::async_read(stream_, buffer_, parser, handler); });
    return parser.release();
}

} // namespace streamscope::testing

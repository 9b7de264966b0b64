#pragma once
// What a server's route handlers are: the vocabulary shared by the router, the server and every
// endpoint of the API and of the collector's health port.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>

#include "common/http/message.hpp"

namespace streamscope::http {

// The body of an answer too large to hold in memory (an export of millions of rows): the
// server calls it for one chunk at a time and sends each as it comes (chunked transfer coding),
// until it returns nullopt. It runs on the connection's strand; what it throws cuts the answer
// off (the client sees a truncated transfer, the server logs why).
using body_chunks = std::function<boost::asio::awaitable<std::optional<std::string>>()>;

// Thrown by body_chunks to end an answer early on purpose (a quota used up): the answer is cut
// off as for any failure, and the server logs the reason as a warning rather than an error.
class answer_cut_off : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A WebSocket that the server accepted for a handler (websocket_session below): text messages
// out, the client's messages in. The server pings an idle client and closes the connection
// when one stops answering. Used on the connection's strand only.
class websocket_channel {
public:
    virtual ~websocket_channel() = default;
    // Sends one text message; false: the client is gone, or stopped reading.
    virtual boost::asio::awaitable<bool> send(std::string_view text) = 0;
    // The client's next message; nullopt when it closed the WebSocket or went away.
    virtual boost::asio::awaitable<std::optional<std::string>> receive() = 0;
    // Closes the WebSocket with a status code (RFC 6455 7.4) and a reason.
    virtual boost::asio::awaitable<void> close(std::uint16_t code, std::string_view reason) = 0;
};

// Set by a handler that takes a WebSocket upgrade and answers 101: the server completes the
// handshake and runs this with the WebSocket; the connection ends with it.
using websocket_session = std::function<boost::asio::awaitable<void>(websocket_channel&)>;

// What a handler gets besides the request: the parts of the target the router already took
// apart, so that no handler parses the target again.
struct request_context {
    const request& req;
    std::string path;  // percent-decoded path, without the query
    std::string query; // the raw query string (a copy, NUL-terminated: see boostorg/url#757)
    std::map<std::string, std::string, std::less<>> path_params; // {login} -> value, decoded
    std::string route; // the route's pattern, e.g. "/channels/{platform}/{login}", for logs/metrics
    boost::asio::ip::address peer; // the address the connection comes from
    // Who sent the request, once a handler knows (an API key's prefix): the access log says it.
    std::string client = {};
    // The API key's id, once a handler found one (0: none): for limits per key.
    std::int64_t key_id = 0;
    // Set by a handler that streams its answer: the response it returns then carries only
    // the status and headers, and these chunks follow as the body.
    body_chunks streamed_body;
    // Set by a handler that answers 101 to a WebSocket upgrade (see websocket_session).
    websocket_session websocket = {};
};

// Runs on the connection's strand. Whatever it throws becomes a 500 whose body says nothing
// about the exception (the server logs it).
using handler = std::function<boost::asio::awaitable<response>(request_context&)>;

} // namespace streamscope::http

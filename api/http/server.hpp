#pragma once
// The API's HTTP/1.1 server: one coroutine per connection on its own strand, keep-alive,
// deadlines against slow and idle clients, limits on headers, bodies and connections, CORS, the
// API's error shape for everything it answers itself, an access log line per request, and a
// graceful drain on stop() or SIGTERM/SIGINT. Beast stays inside the .cpp.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "api/http/router.hpp"

namespace streamscope::api {

struct server_options {
    std::string host = "0.0.0.0"; // an address (0.0.0.0, ::, 127.0.0.1) or a name to resolve
    std::uint16_t port = 8000;    // 0: pick a free one (listen() says which)
    unsigned threads = 2;         // threads serving connections (0 counts as 1)
    // More connections at once are accepted and closed at once: a reset costs the client a retry,
    // a queue would cost every client latency.
    std::size_t max_connections = 1024;
    std::uint32_t header_limit = 16 * 1024; // request line and headers; more: 431
    std::uint64_t body_limit = 64 * 1024;   // more: 413
    std::chrono::seconds read_timeout{
        15}; // a request must arrive completely within this (no slowloris)
    std::chrono::seconds idle_timeout{60}; // keep-alive connections idle longer are closed
    // Origins whose pages may call the API from a browser; "*" anywhere in the list: any.
    std::vector<std::string> cors_allowed_origins{"*"};
    // Called after each response, from any serving thread at once (so it must be thread-safe),
    // with the route's pattern ("unmatched" when no route took the request: 404, 400, 431, ...),
    // the status sent and the time from the complete request to the written response. For
    // per-route counters and latency histograms.
    std::function<void(std::string_view route, unsigned status, std::chrono::nanoseconds took)>
        request_observer;
};

class server {
public:
    // `routes` must outlive the server and not change once run() is called.
    server(server_options options, const router& routes);
    // Call it after run() has returned (or when run() was never called). Handlers that a forced
    // drain left suspended are destroyed here: what they use must outlive the server.
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    // Binds and listens; returns the port (the chosen one for port 0). Throws std::runtime_error
    // "cannot listen on HOST:PORT: reason" (port in use, permission denied, no such address).
    std::uint16_t listen();
    // Serves on options.threads threads, this one included (listens first when listen() was not
    // called), until stop(), SIGTERM or SIGINT; returns after the drain. Call it once.
    void run();
    // Thread-safe, from anywhere (another io_context's handler, another thread, before run()):
    // stops accepting, closes idle keep-alive connections, lets requests in flight finish and
    // answer with "Connection: close" (up to 10 s, after which the rest are cut off), then
    // run() returns. A second SIGTERM/SIGINT during the drain cuts it short.
    void stop();
    // The executor the handlers run on (each connection on a strand of it), for handlers and
    // their helpers that need one.
    boost::asio::any_io_executor executor();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace streamscope::api

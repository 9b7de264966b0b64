#pragma once
// Our HTTP/1.1 server, for the API and the collector's health port alike: one coroutine per
// connection on its own strand of the caller's executor, keep-alive, deadlines against slow
// and idle clients, limits on headers, bodies and connections, CORS, gzip, streamed answers,
// the one error shape for everything it answers itself, an access log line per request, and a
// graceful drain. Beast stays inside the .cpp files.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "common/http/read_floor.hpp"
#include "common/http/router.hpp"

namespace streamscope::http {

struct server_options {
    std::string name = "http server"; // in log lines: "api server", "health server"
    std::string host = {};            // an address (0.0.0.0, ::, 127.0.0.1) or a name to resolve
    std::uint16_t port = 0;           // 0: pick a free one (listen() says which)
    // More connections at once are accepted and closed at once: a reset costs the client a retry,
    // a queue would cost every client latency.
    std::size_t max_connections = 1024;
    // Of those, from one client address at most (0: no such limit), so that one client cannot
    // hold them all. Behind a reverse proxy every connection comes from the proxy's address.
    std::size_t max_connections_per_address = 0;
    std::uint32_t header_limit = 16 * 1024; // request line and headers; more: 431
    std::uint64_t body_limit = 64 * 1024;   // more: 413
    // A request must arrive completely within this (no slowloris); also the wait for the first.
    std::chrono::seconds read_timeout{15};
    std::chrono::seconds idle_timeout{60}; // keep-alive connections idle longer are closed
    // A streamed answer (an export) whose client takes it slower than this is cut off.
    read_floor streamed_read_floor = {};
    // HTTPS on the port with this context (server_tls.hpp); null: plain HTTP.
    std::shared_ptr<boost::asio::ssl::context> tls = {};
    // Origins whose pages may call the server from a browser; "*" anywhere in the list: any;
    // empty: no CORS headers at all.
    std::vector<std::string> cors_allowed_origins = {};
    // The access log line of each request at info level; false: at debug (health probes).
    bool log_requests = true;
    // Called after each response, from any serving thread at once (so it must be thread-safe),
    // with the route's pattern ("unmatched" when no route took the request: 404, 400, 431, ...),
    // the status sent and the time from the complete request to the written response. For
    // per-route counters and latency histograms.
    std::function<void(std::string_view route, unsigned status, std::chrono::nanoseconds took)>
        request_observer = {};
};

class server {
public:
    // Serves on `executor` (each connection on a strand of it): an io_context's, run by as many
    // threads as the caller likes. Its concrete type, not any_io_executor: a strand of a
    // type-erased executor costs every resumption of every session a second indirection
    // (measured: a fifth of /live/top's throughput). `routes` must outlive the server and not
    // change once start() is called; what the handlers use must outlive the io_context (a forced
    // stop can leave handlers suspended until it is destroyed).
    server(boost::asio::io_context::executor_type executor, server_options options,
           const router& routes);
    // Stops accepting and cuts off the connections left, without waiting.
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    // Binds and listens; returns the port (the chosen one for port 0). Throws std::runtime_error
    // "cannot listen on HOST:PORT: reason" (port in use, permission denied, no such address).
    std::uint16_t listen();
    // Accepts connections (listens first when listen() was not called).
    void start();
    // Thread-safe, from anywhere: stops accepting, closes idle keep-alive connections, lets
    // requests in flight finish and answer with "Connection: close" for up to `grace`, then
    // cuts off the rest. Calls `stopped(drained)` once, on the executor, when no connection is
    // left (drained = true) or grace has passed (false: what the handlers still do goes on
    // until they return or the io_context stops). A second call changes nothing.
    void stop(std::chrono::milliseconds grace, std::function<void(bool drained)> stopped = {});
    // Connections open now.
    std::size_t connections() const;

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

} // namespace streamscope::http

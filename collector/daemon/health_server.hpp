#pragma once
// The collector daemon's health endpoint: GET /health (JSON, 200 or 503) and GET /metrics
// (Prometheus text) over plain HTTP/1.1, for container probes and scrapers on the local network,
// plus the client side of `streamscope-collector healthcheck`. Beast stays inside the .cpp.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "collector/daemon/status.hpp"

namespace streamscope::collector {

// The body of /health: {"status":"ok"|"failing","role":..,"database":"up"|"down",
// "last_sweep":{..}|null,"leader_last_sweep_at":..|null,"spool":{"bytes":N,"files":N},
// "token_expires_in_s":N|null,"interval_s":x}. Times are RFC 3339 UTC; token_expires_in_s is
// negative once the token has expired.
std::string health_json(const collector_status& s, std::chrono::system_clock::time_point now);

// Serves the status on the executor's thread, which must be the thread that updates it: the
// status is read without locking. One coroutine per connection, keep-alive, 10 s to read a
// request, 8 KiB of headers and body at most, 64 connections at once (more are closed at once).
class health_server {
public:
    // `where`: 0.0.0.0 (or ::) for probes from outside a container; port 0 picks a free port.
    health_server(boost::asio::any_io_executor executor, const collector_status& status,
                  boost::asio::ip::tcp::endpoint where);
    // Stops, as stop() does. Connections still open end on their own on the executor without
    // touching the status again, so the status may go with the server.
    ~health_server();
    health_server(const health_server&) = delete;
    health_server& operator=(const health_server&) = delete;

    // Binds and listens; returns the port (the chosen one for port 0). Throws std::runtime_error
    // naming the address and the reason (port in use, permission denied, no such address).
    std::uint16_t listen();
    // Accepts connections on the executor; listens first if listen() was not called.
    void start();
    // Closes the listening socket and every connection. Call it on the executor's thread.
    void stop();

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

} // namespace streamscope::collector

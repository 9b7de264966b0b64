#pragma once
// The collector daemon's health port: GET /health (JSON, 200 or 503) and GET /metrics
// (Prometheus text), for container probes and scrapers on the local network, served by the
// common HTTP server.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "collector/daemon/status.hpp"
#include "collector/platform/platform_client.hpp"
#include "common/http/router.hpp"
#include "common/http/server.hpp"

namespace streamscope::collector {

// The body of /health: {"status":"ok"|"failing","database":"up"|"down",
// "spool":{"bytes":N,"files":N},"platforms":{"twitch":{"status":"ok"|"failing"|"stopped",
// "role":..,["stopped_because":..,]"last_sweep":{..}|null,"leader_last_sweep_at":..|null,
// "token_expires_in_s":N|null,"interval_s":x},...}}. Times are RFC 3339 UTC;
// token_expires_in_s is negative once the token has expired.
std::string health_json(const collector_status& s, std::chrono::system_clock::time_point now);

// Serves the status on the executor, whose thread must be the one that updates it: the status
// is read without locking. Keep-alive, 10 s to read a request, 8 KiB of headers and body at
// most (bodies: more when an extra route needs it), 64 connections at once (more are closed at
// once). Extra routes (a platform's, e.g. YouTube's WebSub callback) are served beside
// /health and /metrics.
class health_server {
public:
    // `where`: 0.0.0.0 (or ::) for probes from outside a container; port 0 picks a free port.
    // `status` must outlive the executor's io_context.
    // Throws std::invalid_argument when an extra route repeats another one.
    health_server(boost::asio::io_context::executor_type executor, const collector_status& status,
                  boost::asio::ip::tcp::endpoint where, std::vector<extra_route> extra = {});
    health_server(const health_server&) = delete;
    health_server& operator=(const health_server&) = delete;

    // Binds and listens; returns the port (the chosen one for port 0). Throws std::runtime_error
    // naming the address and the reason (port in use, permission denied, no such address).
    std::uint16_t listen() { return server_.listen(); }
    // Accepts connections on the executor; listens first if listen() was not called.
    void start() { server_.start(); }
    // Closes the listening socket and every connection.
    void stop() { server_.stop(std::chrono::milliseconds{0}); }

private:
    http::router routes_;
    http::server server_;
};

} // namespace streamscope::collector

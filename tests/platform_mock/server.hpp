#pragma once
// The network side of the mock: HTTPS/1.1 with keep-alive on one thread, one coroutine per
// connection, carrying out each reply of the service (including resets, truncation and delays).
// Beast and Asio stay inside server.cpp.

#include <cstdint>
#include <functional>
#include <string>

#include "tests/platform_mock/service.hpp"

namespace streamscope::platform_mock {

struct server_options {
    std::string host = "127.0.0.1"; // an IP address literal
    std::uint16_t port = 0;         // 0: any free port
    std::string certificate_pem;    // the chain, leaf first
    std::string private_key_pem;
    bool verbose = false; // one log line per request
};

// Serves `svc` until SIGINT, SIGTERM or POST /_mock/shutdown, then returns once every
// connection has finished (busy ones are cut after a 5 s grace period). Calls `on_listening(port)`
// once the socket listens, before the first connection is accepted. Throws
// boost::system::system_error when it cannot listen and std::exception when the certificate or key
// is unusable.
void serve(service& svc, const server_options& options,
           const std::function<void(std::uint16_t port)>& on_listening);

} // namespace streamscope::platform_mock

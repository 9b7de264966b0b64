#pragma once
// The client side of the binaries' `healthcheck` command: for container health checks in
// images without curl.

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace streamscope::http {

// GET http://host:port/health (https:// when `https`, the certificate unchecked) within
// `timeout` (connecting included), the body to `out`. Returns 0 on 200, otherwise 1 with one
// line on `err` saying why (refused, timed out, 503).
int run_healthcheck(std::string host, std::uint16_t port, std::chrono::milliseconds timeout,
                    std::ostream& out, std::ostream& err, bool https = false);
// The same on std::cout and std::cerr.
int run_healthcheck(std::string host, std::uint16_t port, std::chrono::milliseconds timeout,
                    bool https = false);

} // namespace streamscope::http

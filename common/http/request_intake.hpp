#pragma once
// What the server makes of a request before any handler runs: the answer to one it could not
// read, and the checks and routing of one it could. Apart from the session's socket code so
// that the unit tests and fuzz/http_request_fuzz.cpp run the very same code on raw bytes.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/system/error_code.hpp>

#include "common/http/cors.hpp"
#include "common/http/handler.hpp"
#include "common/http/router.hpp"
#include "common/http/server.hpp"

namespace streamscope::http {

// The route name of requests that no route took (404, 400, 431, ...), for logs and metrics.
inline constexpr std::string_view unmatched_route = "unmatched";

// The answer to a request that could not be read (431, 413 or 400, in the one error shape), or
// nullopt when there is nobody to answer: the peer left, the read timed out or the server is
// stopping. `ec` is what Beast's read of the request reported.
std::optional<response> refusal(const server_options& options, const boost::system::error_code& ec);

// A request taken apart and routed: either answered already, or a handler to run.
struct routed {
    std::optional<response> ready;      // 400 for the path, 404, 405, or an OPTIONS answer
    const handler* target = nullptr;    // when not ready: the route's handler, owned by the router
    std::string route{unmatched_route}; // the route's pattern, when a route took the path
    std::string path;                   // when not ready: percent-decoded, storable text
    std::string query;                  // when not ready: as sent, without the '?'
    std::map<std::string, std::string, std::less<>> params; // when not ready: decoded
};

// Checks the target's path (percent-encoding, UTF-8 without NUL) and finds its route in
// `routes`. Throws only what allocation throws.
routed route_request(const router& routes, const cors_policy& cors, const request& req);

} // namespace streamscope::http

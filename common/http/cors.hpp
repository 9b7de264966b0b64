#pragma once
// Cross-origin requests from browsers (CORS): which origins may call the server, the headers
// that say so, and the answer to a preflight.

#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include "common/http/message.hpp"

namespace streamscope::http {

class cors_policy {
public:
    // "*" anywhere in the list: any origin; empty: CORS is off (no header is ever added).
    explicit cors_policy(std::vector<std::string> allowed_origins);

    // Access-Control-Allow-Origin for a request from `origin` (the request's Origin header,
    // possibly empty) when it is allowed, and Vary: Origin whenever CORS is on.
    void decorate(response& res, std::string_view origin) const;

    // The answer to an OPTIONS request for a path that answers `allowed`: 204 with Allow, and
    // the Access-Control-Allow-* headers when it is a preflight from an allowed origin.
    response preflight(const request& req,
                       const std::vector<boost::beast::http::verb>& allowed) const;

private:
    bool allows(std::string_view origin) const;

    std::vector<std::string> allowed_;
    bool any_ = false;
};

} // namespace streamscope::http

#include "common/http/cors.hpp"

#include <algorithm>

#include <boost/beast/http/field.hpp>

#include "common/http/response.hpp"
#include "common/http/router.hpp"

namespace streamscope::http {
namespace {

using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;

// Browsers cap it lower (Chromium at 2 h); one day is what Firefox allows.
constexpr std::string_view preflight_max_age = "86400";
// Request headers a browser may send cross-origin besides the always-allowed ones.
constexpr std::string_view allowed_headers = "Accept, Authorization, Content-Type, "
                                             "If-None-Match";

} // namespace

cors_policy::cors_policy(std::vector<std::string> allowed_origins)
    : allowed_(std::move(allowed_origins)),
      any_(std::find(allowed_.begin(), allowed_.end(), "*") != allowed_.end()) {}

bool cors_policy::allows(std::string_view origin) const {
    return any_ || (!origin.empty() &&
                    std::find(allowed_.begin(), allowed_.end(), origin) != allowed_.end());
}

void cors_policy::decorate(response& res, std::string_view origin) const {
    if (allowed_.empty()) {
        return;
    }
    if (any_) {
        res.set(field::access_control_allow_origin, "*");
    } else if (allows(origin)) {
        res.set(field::access_control_allow_origin, origin);
    }
    // Caches must keep answers to different origins apart when the header depends on it.
    add_vary(res, "Origin");
}

response cors_policy::preflight(const request& req, const std::vector<verb>& allowed) const {
    response res{status::no_content, req.version()};
    std::vector<verb> with_options = allowed;
    with_options.push_back(verb::options);
    std::sort(with_options.begin(), with_options.end());
    res.set(field::allow, method_list(with_options));
    const bool cross_origin_request =
        req.count(field::access_control_request_method) != 0 && allows(req[field::origin]);
    if (cross_origin_request) {
        res.set(field::access_control_allow_methods, method_list(allowed));
        res.set(field::access_control_allow_headers, allowed_headers);
        res.set(field::access_control_max_age, preflight_max_age);
    }
    return res;
}

} // namespace streamscope::http

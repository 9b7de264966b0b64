#include "common/http/request_intake.hpp"

#include <utility>

#include <boost/beast/http/error.hpp>

#include "common/http/response.hpp"
#include "common/text/utf8.hpp"

namespace streamscope::http {

using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;

std::optional<response> refusal(const server_options& options,
                                const boost::system::error_code& ec) {
    using boost::beast::http::error;
    const request blank{verb::get, "/", 11};
    if (ec == error::header_limit) {
        return error_response(blank, status::request_header_fields_too_large, "headers_too_large",
                              "request headers are limited to " +
                                  std::to_string(options.header_limit) + " bytes");
    }
    if (ec == error::body_limit) {
        return error_response(blank, status::payload_too_large, "body_too_large",
                              "request bodies are limited to " +
                                  std::to_string(options.body_limit) + " bytes");
    }
    if (ec.category() == boost::beast::http::make_error_code(error::bad_target).category() &&
        ec != error::end_of_stream && ec != error::partial_message) {
        return error_response(blank, status::bad_request, "bad_request",
                              "not an HTTP/1.1 request: " + ec.message());
    }
    return std::nullopt;
}

routed route_request(const router& routes, const cors_policy& cors, const request& req) {
    routed out;
    const std::string_view target = req.target();
    const auto question = target.find('?');
    const std::string_view raw_path = target.substr(0, question);
    auto path = percent_decode(raw_path);
    if (!path) {
        out.ready = error_response(req, status::bad_request, "invalid_path",
                                   "the path has a '%' that is not followed by two hex digits");
        return out;
    }
    // Handlers pass path parameters to the database, which refuses such text.
    if (!text::is_storable_text(*path)) {
        out.ready = error_response(req, status::bad_request, "invalid_path",
                                   "the path, percent-decoded, must be UTF-8 text without NUL "
                                   "characters");
        return out;
    }
    auto found = routes.match(req.method(), raw_path);
    if (found.result == router::outcome::not_found) {
        out.ready =
            error_response(req, status::not_found, "not_found", "no endpoint has this path");
        return out;
    }
    out.route = found.pattern;
    if (found.result == router::outcome::method_not_allowed) {
        if (req.method() == verb::options) {
            out.ready = cors.preflight(req, found.allowed);
            return out;
        }
        const std::string allowed = method_list(found.allowed);
        out.ready = error_response(req, status::method_not_allowed, "method_not_allowed",
                                   "this path answers " + allowed);
        out.ready->set(field::allow, allowed);
        return out;
    }
    out.target = found.target;
    out.path = std::move(*path);
    if (question != std::string_view::npos) {
        out.query = std::string(target.substr(question + 1));
    }
    out.params = std::move(found.params);
    return out;
}

} // namespace streamscope::http

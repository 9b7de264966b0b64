#pragma once
// The one error shape of every server of ours, so that clients parse failures in one way:
//   {"error":{"status":400,"code":"invalid_parameter","message":"...","parameter":"limit"}}
// `parameter` is there only when one request parameter is to blame.

#include <string>
#include <string_view>

#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>

#include "common/http/message.hpp"

namespace streamscope::http {

// An error answer to `req` (its HTTP version and keep-alive), Content-Type application/json.
// `code` is a stable snake_case identifier for programs, `message` a sentence for people. Text
// that is not valid UTF-8 (user input echoed back) is repaired, so the body is always JSON.
response error_response(const request& req, boost::beast::http::status status,
                        std::string_view code, std::string_view message,
                        std::string_view parameter = {});

// A JSON answer to `req`: `body` must already be JSON.
response json_response(const request& req, std::string body,
                       boost::beast::http::status status = boost::beast::http::status::ok);
response json_response(const request& req, const char* body,
                       boost::beast::http::status status = boost::beast::http::status::ok);

// The JSON answer to `req` for `body`, its numbers plain (json::serialize).
response json_response(const request& req, const boost::json::value& body,
                       boost::beast::http::status status = boost::beast::http::status::ok);

// Adds `header` to the response's Vary list unless it is there already.
void add_vary(response& res, std::string_view header);

} // namespace streamscope::http

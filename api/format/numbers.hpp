#pragma once
// Numbers as people write them. Boost.JSON writes every double in exponent form (6.0 as "6E0",
// 1258475.1 as "1.2584751E6"): valid JSON, but hard to read in a terminal and in a
// spreadsheet. These rewrite such numbers in plain decimal notation, shortest round-trip form.

#include <string>
#include <string_view>

#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>

#include "api/http/types.hpp"

namespace streamscope::api {

// `json` with every number outside strings that has an exponent written without one (numbers
// beyond 1e15 or below 1e-6 in size keep theirs).
std::string plain_numbers(std::string_view json);

// One number as plain_numbers writes it: "6", "1258475.1".
std::string plain_number(double value);

// The JSON answer to `req` for `body`, its numbers plain: how every route that builds its answer
// as a JSON value sends it.
response json_answer(const request& req, const boost::json::value& body,
                     boost::beast::http::status status = boost::beast::http::status::ok);

} // namespace streamscope::api

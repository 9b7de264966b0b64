#pragma once
// format=csv for the list routes: RFC 4180 (every cell quoted where needed, embedded quotes
// doubled, CRLF line ends, a header row), UTF-8, a filename in Content-Disposition, and cells
// of text that a spreadsheet would run as a formula (= + - @, tab, carriage return first)
// neutralised with a leading apostrophe; numbers, negative ones too, stay numbers.

#include <array>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>

#include "common/http/handler.hpp"

namespace streamscope::api {

inline constexpr std::array<std::string_view, 2> formats{"json", "csv"};

// One cell, quoted and neutralised as needed.
std::string csv_cell(std::string_view text);

// The items (objects) as CSV: the first item's keys are the header; strings as they are,
// numbers and booleans as JSON writes them, null empty, arrays and objects as JSON text.
std::string csv_from_items(const boost::json::array& items);

// A CSV answer to `req`, offered for download as `filename`.
http::response csv_response(const http::request& req, std::string body, std::string_view filename);

// The route's answer in the format asked for: JSON of `page`, or CSV of page["data"].
http::response list_response(const http::request& req, const std::string& format,
                             boost::json::object page, std::string_view filename);

} // namespace streamscope::api

#pragma once
// JSON text as people read it, written one way in both binaries: numbers in plain decimal
// notation (Boost.JSON writes every double with an exponent: 6.0 as "6E0", 1258475.1 as
// "1.2584751E6", valid but hard to read in a terminal or a spreadsheet), and string literals
// that stay valid JSON whatever bytes they are given.

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace streamscope::json {

// `value` serialized with its numbers plain (see plain_numbers).
std::string serialize(const boost::json::value& value);

// `json` with every number outside strings that has an exponent written without one (numbers
// beyond 1e15 or below 1e-6 in size keep theirs), in the shortest form that reads back exactly.
std::string plain_numbers(std::string_view json);

// One number as plain_numbers writes it: "6", "1258475.1".
std::string plain_number(double value);

// A JSON string literal of `text`, quotes included. Bytes that are not valid UTF-8 become
// U+FFFD, one per byte: messages may echo what a client sent, and Boost.JSON copies invalid
// UTF-8 through into invalid JSON.
std::string quote(std::string_view text);

} // namespace streamscope::json

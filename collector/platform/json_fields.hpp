#pragma once
// Reading the fields of a platform's JSON answers. Platforms add fields without notice, so
// unknown ones are ignored and order does not matter; a field we need that is missing or of
// the wrong type throws malformed_field, and the caller decides what is lost: one record, or
// the whole answer.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/time/timestamp.hpp"

namespace streamscope::collector {

class malformed_field : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Throws malformed_field "field 'NAME' is missing or not EXPECTED".
[[noreturn]] void bad_field(std::string_view name, std::string_view expected);

const boost::json::value& json_field(const boost::json::object& o, std::string_view name);
const boost::json::object& json_object(const boost::json::object& o, std::string_view name);
std::string json_text(const boost::json::object& o, std::string_view name);
// Text that a platform may omit or send as null: both read as "".
std::string json_optional_text(const boost::json::object& o, std::string_view name);
std::int64_t json_integer(const boost::json::object& o, std::string_view name);
// An id the platform sends as a string or as a whole number (Kick's broadcaster ids), as text.
std::string json_id(const boost::json::object& o, std::string_view name);
time::timestamp json_timestamp(const boost::json::object& o, std::string_view name);
// An array of strings (a stream's tags); missing or null: none.
std::vector<std::string> json_string_list(const boost::json::object& o, std::string_view name);
// A viewer count: a whole number from 0 to INT32_MAX.
std::int32_t json_count(const boost::json::object& o, std::string_view name);
// The `data` array of an answer.
const boost::json::array& json_data_array(const boost::json::value& answer);

// "HTTP 403: invalid client secret": the status and the message of a platform's JSON error
// body (its "message", else "error_description" or "error"), for log lines and the sweep's
// error. Messages are logged, never branched on: platforms reword them.
std::string describe_error(unsigned status, std::string_view body);

} // namespace streamscope::collector

#pragma once
// What the access log shows of a request.

#include <string>
#include <string_view>

namespace streamscope::http {

// The request target as the access log shows it: each of the path, query keys and query values
// cut at 200 characters, and whatever is not printable ASCII percent-encoded, so that one line
// stays short and no client can forge lines or break the JSON log format.
std::string loggable_target(std::string_view target);

} // namespace streamscope::http

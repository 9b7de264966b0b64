#pragma once
// The check that an answer is in the one error shape (common/http/response.hpp), whatever the
// request that caused it held.

#include "common/http/message.hpp"

namespace streamscope::fuzz {

// Aborts (a finding) unless `res` is JSON {"error": {"status": <its status>, "code": "...",
// "message": "..."}} with Content-Type application/json.
void require_error_shape(const http::response& res);

} // namespace streamscope::fuzz

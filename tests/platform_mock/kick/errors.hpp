#pragma once
// Kick's error answers. Kick does not document them; these are our best reading:
// - the API keeps its success envelope: {"data":null,"message":"Unauthorized"};
// - id.kick.com answers as OAuth 2 (RFC 6749 section 5.2) says:
//   {"error":"invalid_client","error_description":"..."};
// - 502 and 504 come from the CDN in front of it as an HTML page, not JSON.

#include <string_view>

#include "tests/platform_mock/exchange.hpp"

namespace streamscope::platform_mock::kick {

reply api_error(unsigned status, std::string_view message);

// `error` is an RFC 6749 code such as invalid_request, invalid_client, unsupported_grant_type.
reply oauth_error(unsigned status, std::string_view error, std::string_view description);

// A 5xx as a client sees it: JSON from Kick for 500 and 503, the CDN's HTML for 502 and 504.
reply server_error(unsigned status);

} // namespace streamscope::platform_mock::kick

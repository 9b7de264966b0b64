#pragma once
// Google's error answers, as the YouTube Data API v3 sends them:
//   {"error":{"code":400,"message":"...","errors":[{"message":"...","domain":"...",
//    "reason":"...", "location":"...","locationType":"parameter"}],"status":"INVALID_ARGUMENT"}}
// (location only for a parameter's error), and the feeds' plain HTML pages.

#include <string_view>

#include "tests/platform_mock/exchange.hpp"

namespace streamscope::platform_mock::youtube {

inline constexpr std::string_view json_content_type = "application/json; charset=UTF-8";

struct google_error {
    unsigned code = 400;
    std::string_view message;
    std::string_view domain = "global";
    std::string_view reason = "badRequest";
    std::string_view location; // the parameter at fault, or empty
};

reply error_reply(const google_error& e);

// 400 for a missing or unknown key, with its ErrorInfo detail (reason API_KEY_INVALID).
reply key_invalid();

// 403 quotaExceeded, the same for both buckets.
reply quota_exceeded();

// 400 invalidParameter "Invalid value 'X'. Values must be within the range: [0, 50]".
reply out_of_range(std::string_view parameter, std::string_view value);

// 400 required parameter missing, e.g. part.
reply required_parameter(std::string_view parameter);

// 400 no filter: "No filter selected. Expected one of: <choices>".
reply no_filter(std::string_view choices);

// A 5xx from Google's front end (backendError), JSON.
reply api_server_error(unsigned status);

// An HTML page with `status`, as www.youtube.com answers a feed it will not serve.
reply html_error(unsigned status);

} // namespace streamscope::platform_mock::youtube

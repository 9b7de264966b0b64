#pragma once
// The two error body shapes Twitch uses: Helix's and id.twitch.tv's.

#include <string_view>

#include "tests/platform_mock/exchange.hpp"

namespace streamscope::platform_mock::twitch {

// Helix's error shape: {"error":"Bad Request","status":400,"message":"..."}.
reply helix_error(unsigned status, std::string_view message);

// id.twitch.tv's error shape: {"status":403,"message":"invalid client secret"}.
reply oauth_error(unsigned status, std::string_view message);

} // namespace streamscope::platform_mock::twitch

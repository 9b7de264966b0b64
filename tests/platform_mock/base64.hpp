#pragma once
// Standard base64 (RFC 4648 section 4: '+', '/' and '=' padding), which the platforms' opaque
// cursors are made of: characters a client must percent-encode in a query string.

#include <optional>
#include <string>
#include <string_view>

namespace streamscope::platform_mock::base64 {

std::string encode(std::string_view bytes);

// Strict: length a multiple of 4, padding only at the end, no other characters. nullopt
// otherwise.
std::optional<std::string> decode(std::string_view text);

} // namespace streamscope::platform_mock::base64

#pragma once
// Base64 (RFC 4648), written once for everything that needs it: the mock's opaque cursors
// (section 4: '+', '/' and '=' padding), webhook secrets and signatures (the same), and API
// keys (section 5, URL-safe, without padding: a key is pasted into headers and URLs).

#include <optional>
#include <string>
#include <string_view>

namespace streamscope::text::base64 {

// Section 4's alphabet, padded with '=' to a multiple of 4 characters.
std::string encode(std::string_view bytes);

// Section 5's alphabet ('-' and '_' for '+' and '/'), without padding.
std::string encode_url(std::string_view bytes);

// Section 4, strict: length a multiple of 4, padding only at the end, no other characters
// (no line breaks or blanks). nullopt otherwise; "" decodes to "".
std::optional<std::string> decode(std::string_view text);

} // namespace streamscope::text::base64

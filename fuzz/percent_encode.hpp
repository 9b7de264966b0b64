#pragma once
// Percent-encoding as a well-behaved client does it, for the targets' round trips.

#include <string>
#include <string_view>

namespace streamscope::fuzz {

// Every byte but RFC 3986's unreserved characters as %XX: safe in a path segment and in a
// query's names and values alike.
inline std::string percent_encode(std::string_view text) {
    constexpr std::string_view hex = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out += c;
        } else {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 15];
        }
    }
    return out;
}

} // namespace streamscope::fuzz

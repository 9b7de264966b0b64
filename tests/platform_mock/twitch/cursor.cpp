#include "tests/platform_mock/twitch/cursor.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace streamscope::platform_mock::twitch {
namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Three bytes whose base64 is "+/+/": every cursor starts with characters that need care in a
// query string.
constexpr unsigned char prefix[] = {0xFB, 0xFF, 0xBF};

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
        std::uint32_t chunk = 0;
        for (std::size_t j = 0; j < 3; ++j) {
            chunk = (chunk << 8) | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0U);
        }
        for (std::size_t j = 0; j < 4; ++j) {
            out += j <= n ? alphabet[(chunk >> (18 - 6 * j)) & 0x3F] : '=';
        }
    }
    return out;
}

// Strict: length a multiple of 4, padding only at the end, no other characters.
std::optional<std::string> base64_decode(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += 4) {
        std::uint32_t chunk = 0;
        std::size_t padding = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            const char c = text[i + j];
            std::uint32_t value = 0;
            if (c == '=') {
                if (i + 4 != text.size() || j < 2) {
                    return std::nullopt;
                }
                ++padding;
            } else {
                const auto pos = alphabet.find(c);
                if (pos == std::string_view::npos || padding > 0) {
                    return std::nullopt;
                }
                value = static_cast<std::uint32_t>(pos);
            }
            chunk = (chunk << 6) | value;
        }
        for (std::size_t j = 0; j < 3 - padding; ++j) {
            out += static_cast<char>((chunk >> (16 - 8 * j)) & 0xFF);
        }
    }
    return out;
}

bool read_number(std::string_view& text, char separator, std::uint64_t& out, int base = 10) {
    const auto end = text.find(separator);
    const std::string_view field = text.substr(0, end);
    const auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), out, base);
    if (field.empty() || ec != std::errc{} || ptr != field.data() + field.size()) {
        return false;
    }
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    return true;
}

} // namespace

std::string encode_cursor(const page_cursor& cursor) {
    char payload[80];
    const int n = std::snprintf(payload, sizeof payload, "o%llu:%llu:%llx",
                                static_cast<unsigned long long>(cursor.start),
                                static_cast<unsigned long long>(cursor.next),
                                static_cast<unsigned long long>(cursor.scope));
    std::string bytes(reinterpret_cast<const char*>(prefix), sizeof prefix);
    bytes.append(payload, static_cast<std::size_t>(n));
    return base64_encode(bytes);
}

std::optional<page_cursor> decode_cursor(std::string_view text) {
    const auto bytes = base64_decode(text);
    const std::string_view head(reinterpret_cast<const char*>(prefix), sizeof prefix);
    if (!bytes || !bytes->starts_with(head) || bytes->size() < head.size() + 1 ||
        (*bytes)[head.size()] != 'o') {
        return std::nullopt;
    }
    std::string_view rest = std::string_view(*bytes).substr(head.size() + 1);
    page_cursor cursor;
    if (!read_number(rest, ':', cursor.start) || !read_number(rest, ':', cursor.next) ||
        !read_number(rest, '\0', cursor.scope, 16) || !rest.empty() || cursor.start > cursor.next) {
        return std::nullopt;
    }
    return cursor;
}

} // namespace streamscope::platform_mock::twitch

#include "tests/platform_mock/twitch/cursor.hpp"

#include <charconv>
#include <cstdio>

#include "common/text/base64.hpp"

namespace streamscope::platform_mock::twitch {
namespace {

// Three bytes whose base64 is "+/+/": every cursor starts with characters that need care in a
// query string.
constexpr unsigned char prefix[] = {0xFB, 0xFF, 0xBF};

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
    return streamscope::text::base64::encode(bytes);
}

std::optional<page_cursor> decode_cursor(std::string_view text) {
    const auto bytes = streamscope::text::base64::decode(text);
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

#include "tests/platform_mock/kick/cursor.hpp"

#include <charconv>
#include <vector>

#include "common/text/base64.hpp"

namespace streamscope::platform_mock::kick {
namespace {

constexpr std::string_view magic = "kick1";

template <typename T>
bool parse(std::string_view text, T& out, int base = 10) {
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
    return !text.empty() && ec == std::errc{} && ptr == text.data() + text.size();
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto at = text.find(separator);
        parts.push_back(text.substr(0, at));
        if (at == std::string_view::npos) {
            return parts;
        }
        text.remove_prefix(at + 1);
    }
}

} // namespace

std::string encode_cursor(const listing_cursor& cursor) {
    std::string payload(magic);
    if (cursor.type == listing_cursor::kind::offset) {
        payload += ":o:" + std::to_string(cursor.offset);
    } else {
        payload += ":k:" + std::to_string(cursor.key) + ":" + std::to_string(cursor.stream_id);
    }
    char scope[17];
    const auto end = std::to_chars(scope, scope + sizeof scope, cursor.scope, 16).ptr;
    payload += ':';
    payload.append(scope, end);
    return streamscope::text::base64::encode(payload);
}

std::optional<listing_cursor> decode_cursor(std::string_view text) {
    const auto bytes = streamscope::text::base64::decode(text);
    if (!bytes) {
        return std::nullopt;
    }
    const auto parts = split(*bytes, ':');
    listing_cursor c;
    if (parts.size() == 4 && parts[0] == magic && parts[1] == "o" && parse(parts[2], c.offset) &&
        parse(parts[3], c.scope, 16)) {
        c.type = listing_cursor::kind::offset;
        return c;
    }
    if (parts.size() == 5 && parts[0] == magic && parts[1] == "k" && parse(parts[2], c.key) &&
        parse(parts[3], c.stream_id) && parse(parts[4], c.scope, 16)) {
        c.type = listing_cursor::kind::keyset;
        return c;
    }
    return std::nullopt;
}

} // namespace streamscope::platform_mock::kick

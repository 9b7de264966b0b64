#include "api/handlers/live/streams_cursor.hpp"

#include <charconv>
#include <limits>
#include <string>

namespace streamscope::api {
namespace {

// 9999-12-31T23:59:59.999999Z: a sweep time past it is forged, and PostgreSQL's timestamps end
// not far beyond.
constexpr std::int64_t latest_started_us = 253'402'300'799'999'999;

// A number as std::to_string writes it: no sign but '-', no leading zero, no "-0". Any other
// spelling would make a second cursor, and a second cache entry, for the same position.
bool parse_number(std::string_view text, std::int64_t& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && ec == std::errc{} && end == text.data() + text.size() &&
           std::to_string(out) == text;
}

// A lowercase hex digit's value, or -1: the encoder writes no uppercase.
int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

} // namespace

std::string encode_streams_cursor(const streams_position& at) {
    std::string text = "v1|";
    for (std::size_t i = 0; i < at.sweeps.size(); ++i) {
        if (i > 0) {
            text += ',';
        }
        text += std::to_string(at.sweeps[i].platform_id);
        text += ':';
        text += std::to_string(at.sweeps[i].started_us);
    }
    text += '|';
    text += std::to_string(at.viewers);
    text += '|';
    text += std::to_string(at.stream_id);
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char ch : text) {
        hex += digits[ch >> 4];
        hex += digits[ch & 15];
    }
    return hex;
}

std::optional<streams_position> decode_streams_cursor(std::string_view hex) {
    if (hex.size() % 2 != 0 || hex.size() > 2048) {
        return std::nullopt;
    }
    std::string text;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int high = hex_digit(hex[i]);
        const int low = hex_digit(hex[i + 1]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        text += static_cast<char>(high * 16 + low);
    }
    // v1|sweeps|viewers|stream
    std::vector<std::string_view> parts;
    for (std::string_view rest = text;;) {
        const auto bar = rest.find('|');
        parts.push_back(rest.substr(0, bar));
        if (bar == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(bar + 1);
    }
    streams_position at;
    // Bounds of the columns they are compared with (viewer_count and streams.id are integer),
    // so that a forged cursor is refused here rather than by the database.
    constexpr std::int64_t integer_max = std::numeric_limits<std::int32_t>::max();
    if (parts.size() != 4 || parts[0] != "v1" || !parse_number(parts[2], at.viewers) ||
        !parse_number(parts[3], at.stream_id) || at.viewers < -1 || at.viewers > integer_max ||
        at.stream_id < 0 || at.stream_id > integer_max) {
        return std::nullopt;
    }
    // One sweep per platform, in platform order, as latest_sweeps() gives them.
    for (std::string_view rest = parts[1]; !rest.empty();) {
        const auto comma = rest.find(',');
        const std::string_view one = rest.substr(0, comma);
        if (comma == rest.size() - 1) {
            return std::nullopt; // a trailing comma
        }
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        const auto colon = one.find(':');
        std::int64_t platform = 0;
        sweep_ref s;
        if (colon == std::string_view::npos || !parse_number(one.substr(0, colon), platform) ||
            !parse_number(one.substr(colon + 1), s.started_us) || platform < 1 || platform > 3 ||
            s.started_us < 0 || s.started_us > latest_started_us ||
            (!at.sweeps.empty() && platform <= at.sweeps.back().platform_id)) {
            return std::nullopt;
        }
        s.platform_id = static_cast<int>(platform);
        at.sweeps.push_back(s);
    }
    return at;
}

} // namespace streamscope::api

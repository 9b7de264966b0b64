#include "common/json/text.hpp"

#include <charconv>
#include <cmath>
#include <cstddef>

#include <boost/json/serialize.hpp>

#include "common/text/utf8.hpp"

namespace streamscope::json {
namespace {

bool number_char(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

} // namespace

std::string serialize(const boost::json::value& value) {
    return plain_numbers(boost::json::serialize(value));
}

std::string plain_number(double value) {
    const double size = std::fabs(value);
    char text[64];
    const auto format = (size != 0 && (size >= 1e15 || size < 1e-6)) ? std::chars_format::general
                                                                     : std::chars_format::fixed;
    const auto [end, ec] = std::to_chars(text, text + sizeof text, value, format);
    return ec == std::errc{} ? std::string(text, end) : std::to_string(value);
}

std::string plain_numbers(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    bool in_string = false;
    for (std::size_t i = 0; i < json.size();) {
        const char c = json[i];
        if (in_string) {
            out += c;
            if (c == '\\' && i + 1 < json.size()) {
                out += json[i + 1];
                i += 2;
                continue;
            }
            in_string = c != '"';
            ++i;
            continue;
        }
        if (c == '"') {
            in_string = true;
            out += c;
            ++i;
            continue;
        }
        if ((c >= '0' && c <= '9') || c == '-') {
            std::size_t end = i;
            while (end < json.size() && number_char(json[end])) {
                ++end;
            }
            const std::string_view token = json.substr(i, end - i);
            double value = 0;
            const auto [stop, ec] =
                std::from_chars(token.data(), token.data() + token.size(), value);
            if (token.find_first_of("eE") != std::string_view::npos && ec == std::errc{} &&
                stop == token.data() + token.size()) {
                out += plain_number(value);
            } else {
                out += token;
            }
            i = end;
            continue;
        }
        out += c;
        ++i;
    }
    return out;
}

std::string quote(std::string_view text) {
    constexpr std::string_view hex = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    std::size_t at = 0;
    while (at < text.size()) {
        const char c = text[at];
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80) {
            const std::size_t length = streamscope::text::utf8_sequence_length(text, at);
            if (length == 0) {
                out += "\\ufffd"; // the replacement character, one per bad byte
                ++at;
            } else {
                out.append(text.substr(at, length));
                at += length;
            }
            continue;
        }
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            out += "\\u00";
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        } else {
            out += c;
        }
        ++at;
    }
    out += '"';
    return out;
}

} // namespace streamscope::json

#include "api/http/errors.hpp"

#include <cstddef>
#include <utility>

#include <boost/beast/http/field.hpp>

namespace streamscope::api {
namespace {

namespace http = boost::beast::http;

// The length of the valid UTF-8 sequence at `text[at]`, or 0 when it is not one (stray
// continuation byte, cut short, overlong, a surrogate or past U+10FFFF).
std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned lead = byte(at);
    std::size_t length = 0;
    unsigned low = 0x80; // the second byte's range, narrowed to exclude overlongs and surrogates
    unsigned high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        low = lead == 0xe0 ? 0xa0 : 0x80;
        high = lead == 0xed ? 0x9f : 0xbf;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        low = lead == 0xf0 ? 0x90 : 0x80;
        high = lead == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0;
    }
    if (text.size() - at < length || byte(at + 1) < low || byte(at + 1) > high) {
        return 0;
    }
    for (std::size_t i = 2; i < length; ++i) {
        if (byte(at + i) < 0x80 || byte(at + i) > 0xbf) {
            return 0;
        }
    }
    return length;
}

// A JSON string literal. Written by hand rather than with Boost.JSON because messages may echo
// what a client sent, and Boost.JSON copies invalid UTF-8 through into invalid JSON.
std::string json_string(std::string_view text) {
    constexpr std::string_view hex = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    std::size_t at = 0;
    while (at < text.size()) {
        const char c = text[at];
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80) {
            const std::size_t length = utf8_sequence_length(text, at);
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

} // namespace

response error_response(const request& req, http::status status, std::string_view code,
                        std::string_view message, std::string_view parameter) {
    std::string body = R"({"error":{"status":)";
    body += std::to_string(static_cast<unsigned>(status));
    body += R"(,"code":)" + json_string(code);
    body += R"(,"message":)" + json_string(message);
    if (!parameter.empty()) {
        body += R"(,"parameter":)" + json_string(parameter);
    }
    body += "}}";
    return json_response(req, std::move(body), status);
}

response json_response(const request& req, std::string body, http::status status) {
    response res{status, req.version()};
    res.set(http::field::content_type, "application/json");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

} // namespace streamscope::api

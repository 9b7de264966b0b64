#include "common/text/base64.hpp"

#include <algorithm>
#include <cstdint>

namespace streamscope::text::base64 {
namespace {

constexpr std::string_view standard_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode_with(std::string_view bytes, std::string_view alphabet, bool padded) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
        std::uint32_t chunk = 0;
        for (std::size_t j = 0; j < 3; ++j) {
            chunk = (chunk << 8) | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0U);
        }
        for (std::size_t j = 0; j < 4; ++j) {
            if (j <= n) {
                out += alphabet[(chunk >> (18 - 6 * j)) & 0x3F];
            } else if (padded) {
                out += '=';
            }
        }
    }
    return out;
}

} // namespace

std::string encode(std::string_view bytes) {
    return encode_with(bytes, standard_alphabet, true);
}

std::string encode_url(std::string_view bytes) {
    return encode_with(bytes, url_alphabet, false);
}

std::optional<std::string> decode(std::string_view text) {
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(text.size() / 4 * 3);
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
                const auto pos = standard_alphabet.find(c);
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

} // namespace streamscope::text::base64

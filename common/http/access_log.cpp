#include "common/http/access_log.hpp"

#include <cstddef>

namespace streamscope::http {
namespace {

constexpr std::size_t logged_component_limit = 200;

} // namespace

std::string loggable_target(std::string_view target) {
    const auto cut = [](std::string_view part) {
        return part.size() > logged_component_limit
                   ? std::string(part.substr(0, logged_component_limit)) + "..."
                   : std::string(part);
    };
    const auto question = target.find('?');
    std::string shown = cut(target.substr(0, question));
    if (question != std::string_view::npos) {
        shown += '?';
        std::string_view query = target.substr(question + 1);
        for (bool first = true;; first = false) {
            const auto amp = query.find('&');
            const std::string_view pair = query.substr(0, amp);
            if (!first) {
                shown += '&';
            }
            const auto eq = pair.find('=');
            shown += cut(pair.substr(0, eq));
            if (eq != std::string_view::npos) {
                shown += '=';
                shown += cut(pair.substr(eq + 1));
            }
            if (amp == std::string_view::npos) {
                break;
            }
            query.remove_prefix(amp + 1);
        }
    }
    constexpr std::string_view hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(shown.size());
    for (const char c : shown) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace streamscope::http

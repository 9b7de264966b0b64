#include "api/params/channel_name.hpp"

#include <algorithm>

namespace streamscope::api {

bool is_youtube_channel_id(std::string_view text) {
    const auto id_char = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    };
    return text.size() == 24 && text.starts_with("UC") &&
           std::all_of(text.begin(), text.end(), id_char);
}

channel_name parse_channel_name(model::platform platform, std::string_view text) {
    if (platform != model::platform::youtube) {
        return {std::string(text), {}};
    }
    if (text.starts_with('@')) {
        // Only a handle has an "@"; the query compares it in lower case too.
        return {std::string(text.substr(1)), {}};
    }
    // Without the "@", a channel id or a handle (a 24-character handle may look like an id).
    return {std::string(text), is_youtube_channel_id(text) ? std::string(text) : std::string()};
}

} // namespace streamscope::api

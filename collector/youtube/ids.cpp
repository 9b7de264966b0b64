#include "collector/youtube/ids.hpp"

#include <algorithm>

namespace streamscope::youtube {
namespace {

bool is_id_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

} // namespace

bool is_video_id(std::string_view text) {
    return text.size() == 11 && std::all_of(text.begin(), text.end(), is_id_char);
}

bool is_channel_id(std::string_view text) {
    return text.size() == 24 && text.starts_with("UC") &&
           std::all_of(text.begin() + 2, text.end(), is_id_char);
}

} // namespace streamscope::youtube

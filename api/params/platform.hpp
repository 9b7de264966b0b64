#pragma once
// The platforms a request may name (platform=, or {platform} in a path), and their ids in the
// platforms table.

#include <string_view>

namespace streamscope::api {

inline constexpr std::string_view platform_names[] = {"twitch", "kick", "youtube"};

// The id of the platforms table row of a name in platform_names (which is in id order); 0 for
// any other name.
inline int platform_id(std::string_view name) {
    int id = 1;
    for (const std::string_view known : platform_names) {
        if (known == name) {
            return id;
        }
        ++id;
    }
    return 0;
}

} // namespace streamscope::api

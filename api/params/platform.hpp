#pragma once
// The platforms a request may name (platform=, or {platform} in a path): the model's one list
// (common/model/platform.hpp), in the forms the parameter parsers take.

#include <array>
#include <cstddef>
#include <string_view>

#include "common/model/platform.hpp"

namespace streamscope::api {

// Every platform's name, in id order.
inline constexpr auto platform_names = [] {
    std::array<std::string_view, model::platforms.size()> names{};
    for (std::size_t i = 0; i < names.size(); ++i) {
        names[i] = model::platforms[i].name;
    }
    return names;
}();

// The id of the platforms table row of `name`; 0 for a name that is no platform.
inline int platform_id(std::string_view name) {
    const auto platform = model::parse_platform(name);
    return platform ? static_cast<int>(*platform) : 0;
}

} // namespace streamscope::api

#include "collector/youtube/categories.hpp"

#include <array>
#include <utility>

namespace streamscope::youtube {

std::string_view category_name(std::string_view category_id) {
    // The assignable categories of videoCategories.list (regionCode=US).
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 15> names{{
        {"1", "Film & Animation"},
        {"2", "Autos & Vehicles"},
        {"10", "Music"},
        {"15", "Pets & Animals"},
        {"17", "Sports"},
        {"19", "Travel & Events"},
        {"20", "Gaming"},
        {"22", "People & Blogs"},
        {"23", "Comedy"},
        {"24", "Entertainment"},
        {"25", "News & Politics"},
        {"26", "Howto & Style"},
        {"27", "Education"},
        {"28", "Science & Technology"},
        {"29", "Nonprofits & Activism"},
    }};
    for (const auto& [id, name] : names) {
        if (id == category_id) {
            return name;
        }
    }
    return {};
}

} // namespace streamscope::youtube

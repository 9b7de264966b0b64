#include "collector/youtube/thumbnails.hpp"

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>

namespace streamscope::youtube {
namespace json = boost::json;

namespace {

struct named_size {
    std::string_view key;
    std::int64_t width;
    std::int64_t height;
};

constexpr std::array<named_size, 5> named_sizes{{{"default", 120, 90},
                                                 {"medium", 320, 180},
                                                 {"high", 480, 360},
                                                 {"standard", 640, 480},
                                                 {"maxres", 1280, 720}}};

// A width or height: a positive whole number below 100,000, else 0 (unknown).
std::int64_t dimension(const json::object& thumbnail, std::string_view name) {
    const json::value* v = thumbnail.if_contains(name);
    if (v != nullptr && v->is_int64() && v->get_int64() > 0 && v->get_int64() < 100'000) {
        return v->get_int64();
    }
    return 0;
}

std::int64_t area(std::string_view key, const json::object& thumbnail) {
    const std::int64_t width = dimension(thumbnail, "width");
    const std::int64_t height = dimension(thumbnail, "height");
    if (width > 0 && height > 0) {
        return width * height;
    }
    for (const named_size& size : named_sizes) {
        if (size.key == key) {
            return size.width * size.height;
        }
    }
    return 0;
}

} // namespace

std::string largest_thumbnail_url(const json::object& snippet) {
    const json::value* thumbnails = snippet.if_contains("thumbnails");
    if (thumbnails == nullptr || !thumbnails->is_object()) {
        return {};
    }
    std::string_view best;
    std::int64_t best_area = -1;
    for (const auto& [key, value] : thumbnails->get_object()) {
        const json::object* thumbnail = value.if_object();
        const json::value* url = thumbnail != nullptr ? thumbnail->if_contains("url") : nullptr;
        if (url == nullptr || !url->is_string() || url->get_string().empty()) {
            continue;
        }
        if (const std::int64_t a = area(key, *thumbnail); a > best_area) {
            best_area = a;
            best = url->get_string();
        }
    }
    return std::string(best);
}

} // namespace streamscope::youtube

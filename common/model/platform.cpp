#include "common/model/platform.hpp"

namespace streamscope::model {

std::string_view to_string(platform p) {
    for (const platform_info& info : platforms) {
        if (info.id == p) {
            return info.name;
        }
    }
    return "unknown";
}

std::string_view to_string(platform_coverage c) {
    switch (c) {
    case platform_coverage::all_live_streams:
        return "all_live_streams";
    case platform_coverage::watchlist:
        return "watchlist";
    }
    return "unknown";
}

platform_coverage coverage_of(platform p) {
    for (const platform_info& info : platforms) {
        if (info.id == p) {
            return info.coverage;
        }
    }
    return platform_coverage::all_live_streams;
}

std::optional<platform> parse_platform(std::string_view name) {
    for (const platform_info& info : platforms) {
        if (info.name == name) {
            return info.id;
        }
    }
    return std::nullopt;
}

std::optional<platform> platform_from_id(std::int64_t id) {
    for (const platform_info& info : platforms) {
        if (static_cast<std::int64_t>(info.id) == id) {
            return info.id;
        }
    }
    return std::nullopt;
}

std::string platform_names(std::string_view separator) {
    std::string out;
    for (const platform_info& info : platforms) {
        if (!out.empty()) {
            out += separator;
        }
        out += info.name;
    }
    return out;
}

} // namespace streamscope::model

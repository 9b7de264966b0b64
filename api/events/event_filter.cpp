#include "api/events/event_filter.hpp"

#include <algorithm>

#include "api/params/platform.hpp"
#include "common/model/event.hpp"
#include "common/text/ascii_case.hpp"

namespace streamscope::api {
namespace {

constexpr std::size_t max_items = 100;

bool has(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// A comma list's non-empty items.
std::vector<std::string> items_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from <= text.size()) {
        const std::size_t comma = std::min(text.find(',', from), text.size());
        if (comma > from) {
            out.push_back(text.substr(from, comma - from));
        }
        from = comma + 1;
    }
    return out;
}

} // namespace

bool event_filter::matches(const rendered_event& e) const {
    if (!platforms.empty() && !has(platforms, e.platform)) {
        return false;
    }
    if (!types.empty() && !has(types, e.type)) {
        return false;
    }
    if (!channels.empty() && !has(channels, e.channel_lower)) {
        return false;
    }
    if (!games.empty() && !has(games, e.game_id) && !has(games, e.game_name_lower)) {
        return false;
    }
    if (min_viewers > 0 && (!e.viewers || *e.viewers < min_viewers)) {
        return false;
    }
    return true;
}

event_filter read_event_filter(query_params& params) {
    event_filter f;
    const auto list = [&](std::string_view name) {
        std::vector<std::string> out = items_of(params.text(name).value_or(""));
        if (out.size() > max_items) {
            params.reject(name, "at most " + std::to_string(max_items) + " items");
            out.clear();
        }
        return out;
    };
    f.platforms = list("platform");
    for (const std::string& p : f.platforms) {
        if (platform_id(p) == 0) {
            params.reject("platform", "each item must be one of " + model::platform_names() +
                                          ", got '" + p + "'");
        }
    }
    f.types = list("type");
    for (const std::string& t : f.types) {
        if (!model::is_event_type(t)) {
            std::string known;
            for (const std::string_view k : model::event_types) {
                known += known.empty() ? "" : ", ";
                known += k;
            }
            params.reject("type", "each item must be one of " + known + ", got '" + t + "'");
        }
    }
    f.channels = list("channel");
    for (std::string& c : f.channels) {
        c = text::ascii_lower(c);
    }
    f.games = list("game");
    const std::size_t given = f.games.size();
    for (std::size_t i = 0; i < given; ++i) {
        f.games.push_back(text::ascii_lower(f.games[i])); // an id, or a name in any case
    }
    f.min_viewers = params.integer("min_viewers", 0, 1'000'000'000, 0);
    return f;
}

} // namespace streamscope::api

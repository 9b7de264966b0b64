#include "common/webhooks/subscription.hpp"

#include <algorithm>

#include "common/model/event.hpp"
#include "common/model/platform.hpp"
#include "common/text/ascii_case.hpp"

namespace streamscope::webhooks {
namespace {

constexpr std::size_t longest_mail_address = 254;
constexpr std::size_t most_filter_items = 100;

bool listed(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// A filter's list: an array of strings or a comma list; its non-empty items.
boost::system::result<std::vector<std::string>, subscription_problem>
filter_items(const boost::json::value& v, const std::string& field) {
    std::vector<std::string> out;
    const auto add = [&out](std::string_view item) {
        if (!item.empty()) {
            out.emplace_back(item);
        }
    };
    if (v.is_string()) {
        const std::string_view text = v.get_string();
        std::size_t from = 0;
        while (from <= text.size()) {
            const std::size_t comma = std::min(text.find(',', from), text.size());
            add(text.substr(from, comma - from));
            from = comma + 1;
        }
    } else if (v.is_array()) {
        for (const boost::json::value& item : v.get_array()) {
            if (!item.is_string()) {
                return subscription_problem{field, "a list of texts"};
            }
            add(item.get_string());
        }
    } else if (!v.is_null()) {
        return subscription_problem{field, "a list of texts"};
    }
    if (out.size() > most_filter_items) {
        return subscription_problem{field,
                                    "at most " + std::to_string(most_filter_items) + " items"};
    }
    return out;
}

std::string known_event_types() {
    std::string known;
    for (const std::string_view k : model::event_types) {
        known += known.empty() ? "" : ", ";
        known += k;
    }
    return known;
}

boost::json::array as_array(const std::vector<std::string>& items) {
    boost::json::array out;
    for (const std::string& item : items) {
        out.emplace_back(item);
    }
    return out;
}

} // namespace

std::optional<target_format> parse_target_format(std::string_view name) {
    for (const auto f : {target_format::json, target_format::slack, target_format::discord,
                         target_format::email}) {
        if (to_string(f) == name) {
            return f;
        }
    }
    return std::nullopt;
}

std::string_view to_string(target_format format) {
    switch (format) {
    case target_format::json:
        return "json";
    case target_format::slack:
        return "slack";
    case target_format::discord:
        return "discord";
    case target_format::email:
        return "email";
    }
    return "json";
}

bool is_mail_address(std::string_view address) {
    if (address.empty() || address.size() > longest_mail_address) {
        return false;
    }
    const auto at = address.rfind('@');
    if (at == 0 || at == std::string_view::npos || at + 1 == address.size()) {
        return false;
    }
    for (const char c : address) {
        if (c <= ' ' || c > '~' || c == '"' || c == '<' || c == '>' || c == '(' || c == ')' ||
            c == ',' || c == ';' || c == '\\' || c == '[' || c == ']') {
            return false;
        }
    }
    return address.find('@') == at; // one '@'
}

std::optional<std::string> mailto_address(std::string_view url) {
    if (!text::starts_with_ignoring_case(url, "mailto:")) {
        return std::nullopt;
    }
    const std::string_view address = url.substr(7);
    if (!is_mail_address(address)) {
        return std::nullopt;
    }
    return std::string(address);
}

bool subscription_filter::matches(const event_facts& e) const {
    if (!types.empty() && !listed(types, e.type)) {
        return false;
    }
    if (!platforms.empty() && !listed(platforms, e.platform)) {
        return false;
    }
    if (!channels.empty() && !listed(channels, text::ascii_lower(e.channel))) {
        return false;
    }
    if (!games.empty()) {
        const std::string name = text::ascii_lower(e.game_name);
        const bool wanted = std::any_of(games.begin(), games.end(), [&](const std::string& g) {
            return g == e.game_id || (!name.empty() && text::ascii_lower(g) == name);
        });
        if (!wanted) {
            return false;
        }
    }
    if (min_viewers > 0 && (!e.viewers || *e.viewers < min_viewers)) {
        return false;
    }
    return true;
}

boost::system::result<subscription_filter, subscription_problem>
read_subscription(const boost::json::value* events, const boost::json::value* filters) {
    subscription_filter f;
    if (events != nullptr && !events->is_null()) {
        auto types = filter_items(*events, "events");
        if (!types) {
            return types.error();
        }
        for (const std::string& t : *types) {
            if (!model::is_event_type(t)) {
                return subscription_problem{"events", "each item must be one of " +
                                                          known_event_types() + ", got '" + t +
                                                          "'"};
            }
        }
        f.types = std::move(*types);
    }
    if (filters == nullptr || filters->is_null()) {
        return f;
    }
    if (!filters->is_object()) {
        return subscription_problem{"filters", "an object: {\"platform\", \"channel\", \"game\", "
                                               "\"min_viewers\"}"};
    }
    for (const auto& [name, value] : filters->get_object()) {
        const std::string field = "filters." + std::string(name);
        if (name == "min_viewers") {
            if (!value.is_int64() || value.get_int64() < 0 || value.get_int64() > 1'000'000'000) {
                return subscription_problem{field, "an integer from 0 to 1000000000"};
            }
            f.min_viewers = value.get_int64();
            continue;
        }
        if (name != "platform" && name != "channel" && name != "game") {
            return subscription_problem{
                field, "unknown filter; these are: platform, channel, game, min_viewers"};
        }
        auto items = filter_items(value, field);
        if (!items) {
            return items.error();
        }
        if (name == "platform") {
            for (const std::string& p : *items) {
                if (!model::parse_platform(p)) {
                    return subscription_problem{field, "each item must be one of " +
                                                           model::platform_names() + ", got '" + p +
                                                           "'"};
                }
            }
            f.platforms = std::move(*items);
        } else if (name == "channel") {
            for (std::string& c : *items) {
                c = text::ascii_lower(c);
            }
            f.channels = std::move(*items);
        } else {
            f.games = std::move(*items);
        }
    }
    return f;
}

boost::json::object filters_json(const subscription_filter& f) {
    boost::json::object out;
    if (!f.platforms.empty()) {
        out["platform"] = as_array(f.platforms);
    }
    if (!f.channels.empty()) {
        out["channel"] = as_array(f.channels);
    }
    if (!f.games.empty()) {
        out["game"] = as_array(f.games);
    }
    if (f.min_viewers > 0) {
        out["min_viewers"] = f.min_viewers;
    }
    return out;
}

} // namespace streamscope::webhooks

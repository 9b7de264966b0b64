#include "tests/platform_mock/faults.hpp"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <iterator>

#include <boost/json/parse.hpp>

namespace streamscope::platform_mock {
namespace {

struct kind_name {
    fault_kind kind;
    std::string_view name;
};

constexpr kind_name kind_names[] = {
    {fault_kind::server_error, "5xx"},
    {fault_kind::reset, "reset"},
    {fault_kind::truncate, "truncate"},
    {fault_kind::invalid_json, "invalid_json"},
    {fault_kind::slow, "slow"},
    {fault_kind::revoke_tokens, "revoke_tokens"},
    {fault_kind::rate_limit_storm, "rate_limit_storm"},
    {fault_kind::invalid_cursor, "invalid_cursor"},
    {fault_kind::empty_page_with_cursor, "empty_page_with_cursor"},
    {fault_kind::cursor_loop, "cursor_loop"},
    {fault_kind::omit_ratelimit_headers, "omit_ratelimit_headers"},
    {fault_kind::omit_pagination, "omit_pagination"},
    {fault_kind::bad_record, "bad_record"},
};

struct corruption_name {
    record_corruption how;
    std::string_view name;
};

constexpr corruption_name corruption_names[] = {
    {record_corruption::null_viewer_count, "null_viewer_count"},
    {record_corruption::numeric_tag, "numeric_tag"},
    {record_corruption::viewer_count_overflow, "viewer_count_overflow"},
    {record_corruption::missing_broadcaster_user, "missing_broadcaster_user"},
    {record_corruption::rotate, "rotate"},
};

std::optional<fault_kind> kind_from_name(std::string_view name) {
    for (const auto& k : kind_names) {
        if (k.name == name) {
            return k.kind;
        }
    }
    return std::nullopt;
}

std::optional<record_corruption> corruption_from_name(std::string_view name) {
    for (const auto& c : corruption_names) {
        if (c.name == name) {
            return c.how;
        }
    }
    return std::nullopt;
}

std::string known_kinds() {
    std::string out;
    for (const auto& k : kind_names) {
        out += out.empty() ? "" : ", ";
        out += k.name;
    }
    return out;
}

// A non-negative integer no larger than `max`, or nullopt.
std::optional<std::uint64_t> read_count(const boost::json::value& v, std::uint64_t max) {
    std::uint64_t n = 0;
    if (v.is_uint64()) {
        n = v.get_uint64();
    } else if (v.is_int64() && v.get_int64() >= 0) {
        n = static_cast<std::uint64_t>(v.get_int64());
    } else {
        return std::nullopt;
    }
    return n <= max ? std::optional(n) : std::nullopt;
}

bool applies_to(fault_kind kind, const fault_request& request) {
    switch (kind) {
    case fault_kind::invalid_cursor:
        return request.is_listing && request.has_cursor;
    case fault_kind::empty_page_with_cursor:
    case fault_kind::cursor_loop:
        return request.is_listing;
    case fault_kind::bad_record:
        return request.has_records;
    default:
        return true;
    }
}

} // namespace

std::string_view record_corruption_name(record_corruption how) {
    for (const auto& c : corruption_names) {
        if (c.how == how) {
            return c.name;
        }
    }
    return "?";
}

std::string_view fault_kind_name(fault_kind kind) {
    for (const auto& k : kind_names) {
        if (k.kind == kind) {
            return k.name;
        }
    }
    return "?";
}

boost::system::result<fault_rule, std::string> parse_fault(const boost::json::value& json,
                                                           std::string_view default_path) {
    const auto* object = json.if_object();
    if (object == nullptr) {
        return std::string("a fault rule must be a JSON object");
    }
    const auto* kind = object->if_contains("kind");
    if (kind == nullptr || !kind->is_string()) {
        return std::string("a fault rule needs \"kind\", one of: ") + known_kinds();
    }
    fault_rule rule;
    rule.path = default_path;
    if (const auto k = kind_from_name(kind->get_string()); k) {
        rule.kind = *k;
    } else {
        return "unknown fault kind \"" + std::string(kind->get_string()) +
               "\"; known: " + known_kinds();
    }
    for (const auto& [key, value] : *object) {
        if (key == "kind") {
            continue;
        }
        if (key == "count" || key == "after") {
            const auto n = read_count(value, UINT32_MAX);
            if (!n) {
                return std::string(key == "count" ? "\"count\"" : "\"after\"") +
                       " must be a non-negative integer";
            }
            (key == "count" ? rule.count : rule.after) = *n;
        } else if (key == "always") {
            if (!value.is_bool()) {
                return std::string("\"always\" must be true or false");
            }
            rule.always = value.get_bool();
        } else if (key == "path") {
            if (!value.is_string() || !value.get_string().starts_with("/")) {
                return std::string("\"path\" must be a string starting with /");
            }
            rule.path = value.get_string();
        } else if (key == "status") {
            const auto n = read_count(value, 599);
            if (rule.kind != fault_kind::server_error || !n ||
                (*n != 500 && *n != 502 && *n != 503 && *n != 504)) {
                return std::string("\"status\" is for kind 5xx only and must be 500, 502, 503 "
                                   "or 504");
            }
            rule.status = static_cast<unsigned>(*n);
        } else if (key == "delay_ms") {
            const auto n = read_count(value, 600'000);
            if (rule.kind != fault_kind::slow || !n) {
                return std::string("\"delay_ms\" is for kind slow only, 0 to 600000");
            }
            rule.delay_ms = static_cast<std::uint32_t>(*n);
        } else if (key == "reset_s") {
            const auto n = read_count(value, 86'400);
            if (rule.kind != fault_kind::rate_limit_storm || !n) {
                return std::string("\"reset_s\" is for kind rate_limit_storm only, 0 to 86400");
            }
            rule.reset_s = static_cast<std::uint32_t>(*n);
        } else if (key == "how") {
            const auto how =
                value.is_string() ? corruption_from_name(value.get_string()) : std::nullopt;
            if (rule.kind != fault_kind::bad_record || !how) {
                return std::string("\"how\" is for kind bad_record only: null_viewer_count, "
                                   "numeric_tag, viewer_count_overflow, "
                                   "missing_broadcaster_user or rotate");
            }
            rule.how = *how;
        } else {
            return "unknown field \"" + std::string(key) +
                   "\" (known: kind, count, after, always, path, status, delay_ms, reset_s, how)";
        }
    }
    if (rule.count == 0) {
        rule.always = true;
    }
    return rule;
}

boost::system::result<std::vector<fault_rule>, std::string>
parse_faults(std::string_view json, std::string_view default_path) {
    boost::system::error_code ec;
    const auto value = boost::json::parse(json, ec);
    if (ec) {
        return "the body is not JSON: " + ec.message();
    }
    std::vector<fault_rule> rules;
    if (const auto* array = value.if_array()) {
        for (const auto& item : *array) {
            auto rule = parse_fault(item, default_path);
            if (!rule) {
                return "rule " + std::to_string(rules.size() + 1) + ": " + rule.error();
            }
            rules.push_back(std::move(*rule));
        }
        return rules;
    }
    auto rule = parse_fault(value, default_path);
    if (!rule) {
        return rule.error();
    }
    rules.push_back(std::move(*rule));
    return rules;
}

boost::system::result<fault_rule, std::string> parse_fault_spec(std::string_view spec,
                                                                std::string_view default_path) {
    const auto colon = spec.find(':');
    fault_rule rule;
    rule.path = default_path;
    if (const auto k = kind_from_name(spec.substr(0, colon)); k) {
        rule.kind = *k;
    } else {
        return "unknown fault kind in \"" + std::string(spec) + "\"; known: " + known_kinds();
    }
    std::string_view rest = colon == std::string_view::npos ? "" : spec.substr(colon + 1);
    for (std::uint64_t* field : {&rule.count, &rule.after}) {
        if (rest.empty()) {
            break;
        }
        const auto end = rest.find(':');
        const auto number = rest.substr(0, end);
        const auto [ptr, ec] =
            std::from_chars(number.data(), number.data() + number.size(), *field);
        if (number.empty() || ec != std::errc{} || ptr != number.data() + number.size()) {
            return "bad fault \"" + std::string(spec) + "\": expected kind[:count[:after]]";
        }
        rest = end == std::string_view::npos ? "" : rest.substr(end + 1);
    }
    if (!rest.empty()) {
        return "bad fault \"" + std::string(spec) + "\": expected kind[:count[:after]]";
    }
    if (rule.count == 0) {
        rule.always = true;
    }
    return rule;
}

void fault_table::add(std::vector<fault_rule> rules) {
    rules_.insert(rules_.end(), std::make_move_iterator(rules.begin()),
                  std::make_move_iterator(rules.end()));
}

boost::system::result<boost::json::value, std::string>
fault_table::add_json(std::string_view json, std::string_view default_path) {
    auto rules = parse_faults(json, default_path);
    if (!rules) {
        return {boost::system::in_place_error, rules.error()};
    }
    const auto added = rules->size();
    add(std::move(*rules));
    auto body = describe();
    body.as_object()["added"] = added;
    return body;
}

std::size_t fault_table::clear() {
    const std::size_t n = rules_.size();
    rules_.clear();
    return n;
}

fault_effects fault_table::match(const fault_request& request) {
    fault_effects effects;
    for (auto& rule : rules_) {
        if (!request.path.starts_with(rule.path) || !applies_to(rule.kind, request)) {
            continue;
        }
        const std::uint64_t n = ++rule.seen;
        if (n <= rule.after || (!rule.always && n > rule.after + rule.count)) {
            continue;
        }
        ++rule.triggered;
        ++triggered_total_;
        switch (rule.kind) {
        case fault_kind::server_error:
            if (!effects.server_error) {
                effects.server_error = rule.status;
            }
            break;
        case fault_kind::reset:
            effects.reset = true;
            break;
        case fault_kind::truncate:
            effects.truncate = true;
            break;
        case fault_kind::invalid_json:
            effects.invalid_json = true;
            break;
        case fault_kind::slow:
            effects.delay += std::chrono::milliseconds(rule.delay_ms);
            break;
        case fault_kind::revoke_tokens:
            effects.revoke_tokens = true;
            break;
        case fault_kind::rate_limit_storm:
            effects.rate_limit_storm = true;
            effects.storm_reset_s = std::max(effects.storm_reset_s, rule.reset_s);
            break;
        case fault_kind::invalid_cursor:
            effects.invalid_cursor = true;
            break;
        case fault_kind::empty_page_with_cursor:
            effects.empty_page_with_cursor = true;
            break;
        case fault_kind::cursor_loop:
            effects.cursor_loop = true;
            break;
        case fault_kind::omit_ratelimit_headers:
            effects.omit_ratelimit_headers = true;
            break;
        case fault_kind::omit_pagination:
            effects.omit_pagination = true;
            break;
        case fault_kind::bad_record:
            if (!effects.bad_record) {
                constexpr record_corruption turns[] = {record_corruption::null_viewer_count,
                                                       record_corruption::numeric_tag,
                                                       record_corruption::viewer_count_overflow,
                                                       record_corruption::missing_broadcaster_user};
                effects.bad_record = rule.how != record_corruption::rotate
                                         ? rule.how
                                         : turns[(rule.triggered - 1) % std::size(turns)];
            }
            break;
        }
    }
    return effects;
}

boost::json::value fault_table::describe() const {
    boost::json::array list;
    for (const auto& rule : rules_) {
        boost::json::object o{
            {"kind", fault_kind_name(rule.kind)},
            {"count", rule.always ? 0 : rule.count},
            {"after", rule.after},
            {"always", rule.always},
            {"path", rule.path},
            {"seen", rule.seen},
            {"triggered", rule.triggered},
        };
        if (rule.kind == fault_kind::server_error) {
            o["status"] = rule.status;
        } else if (rule.kind == fault_kind::slow) {
            o["delay_ms"] = rule.delay_ms;
        } else if (rule.kind == fault_kind::rate_limit_storm) {
            o["reset_s"] = rule.reset_s;
        } else if (rule.kind == fault_kind::bad_record) {
            o["how"] = record_corruption_name(rule.how);
        }
        list.push_back(std::move(o));
    }
    return boost::json::object{{"faults", std::move(list)}};
}

} // namespace streamscope::platform_mock

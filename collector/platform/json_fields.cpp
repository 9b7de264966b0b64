#include "collector/platform/json_fields.hpp"

#include <cstdint>

#include <boost/json/parse.hpp>

namespace streamscope::collector {
namespace json = boost::json;

void bad_field(std::string_view name, std::string_view expected) {
    throw malformed_field("field '" + std::string(name) + "' is missing or not " +
                          std::string(expected));
}

const json::value& json_field(const json::object& o, std::string_view name) {
    const json::value* v = o.if_contains(name);
    if (v == nullptr) {
        bad_field(name, "present");
    }
    return *v;
}

const json::object& json_object(const json::object& o, std::string_view name) {
    const json::object* inner = json_field(o, name).if_object();
    if (inner == nullptr) {
        bad_field(name, "an object");
    }
    return *inner;
}

std::string json_text(const json::object& o, std::string_view name) {
    const json::string* s = json_field(o, name).if_string();
    if (s == nullptr) {
        bad_field(name, "a string");
    }
    return std::string(s->data(), s->size());
}

std::string json_optional_text(const json::object& o, std::string_view name) {
    const json::value* v = o.if_contains(name);
    if (v == nullptr || v->is_null()) {
        return {};
    }
    if (!v->is_string()) {
        bad_field(name, "a string");
    }
    return std::string(v->get_string());
}

std::int64_t json_integer(const json::object& o, std::string_view name) {
    const json::value& v = json_field(o, name);
    if (v.is_int64()) {
        return v.get_int64();
    }
    if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(v.get_uint64());
    }
    bad_field(name, "an integer");
}

std::string json_id(const json::object& o, std::string_view name) {
    const json::value& v = json_field(o, name);
    if (const json::string* s = v.if_string(); s != nullptr && !s->empty()) {
        return std::string(s->data(), s->size());
    }
    if (v.is_int64() && v.get_int64() >= 0) {
        return std::to_string(v.get_int64());
    }
    if (v.is_uint64()) {
        return std::to_string(v.get_uint64());
    }
    bad_field(name, "an id");
}

std::vector<std::string> json_string_list(const json::object& o, std::string_view name) {
    std::vector<std::string> out;
    const json::value* v = o.if_contains(name);
    if (v == nullptr || v->is_null()) {
        return out;
    }
    const json::array* list = v->if_array();
    if (list == nullptr) {
        bad_field(name, "an array of strings");
    }
    out.reserve(list->size());
    for (const json::value& item : *list) {
        if (!item.is_string()) {
            bad_field(name, "an array of strings");
        }
        out.emplace_back(item.get_string());
    }
    return out;
}

time::timestamp json_timestamp(const json::object& o, std::string_view name) {
    if (auto t = time::parse_rfc3339(json_text(o, name))) {
        return *t;
    }
    bad_field(name, "an RFC 3339 time");
}

std::int32_t json_count(const json::object& o, std::string_view name) {
    const json::value& v = json_field(o, name);
    const bool whole = v.is_int64() || v.is_uint64();
    const bool in_range = (v.is_int64() && v.get_int64() >= 0 && v.get_int64() <= INT32_MAX) ||
                          (v.is_uint64() && v.get_uint64() <= INT32_MAX);
    if (!whole || !in_range) {
        bad_field(name, "a count from 0 to 2147483647");
    }
    return static_cast<std::int32_t>(v.is_int64() ? v.get_int64()
                                                  : static_cast<std::int64_t>(v.get_uint64()));
}

const json::array& json_data_array(const json::value& answer) {
    const json::object* o = answer.if_object();
    const json::array* data =
        o != nullptr && o->if_contains("data") ? o->at("data").if_array() : nullptr;
    if (data == nullptr) {
        bad_field("data", "an array");
    }
    return *data;
}

std::string describe_error(unsigned status, std::string_view body) {
    std::string message;
    boost::system::error_code ec;
    const json::value parsed = json::parse(body, ec);
    if (const json::object* o = ec ? nullptr : parsed.if_object()) {
        for (const std::string_view key : {"message", "error_description", "error"}) {
            const json::value* v = o->if_contains(key);
            if (v != nullptr && v->is_string() && !v->get_string().empty()) {
                message = std::string(v->get_string());
                break;
            }
        }
    }
    return "HTTP " + std::to_string(status) + (message.empty() ? "" : ": " + message);
}

} // namespace streamscope::collector

#include "collector/platform/listing_answers.hpp"

namespace streamscope::collector {
namespace json = boost::json;

std::string record_id(const json::value& record) {
    const json::object* o = record.if_object();
    const json::value* id = o != nullptr ? o->if_contains("id") : nullptr;
    if (id != nullptr && id->is_string()) {
        return std::string(id->get_string());
    }
    if (id != nullptr && id->is_int64()) {
        return std::to_string(id->get_int64());
    }
    return "(no id)";
}

std::optional<std::string> pagination_cursor(const json::value& answer, std::string_view key) {
    const json::object* o = answer.if_object();
    const json::value* p = o != nullptr ? o->if_contains("pagination") : nullptr;
    const json::object* pagination = p != nullptr ? p->if_object() : nullptr;
    if (pagination == nullptr) {
        return std::nullopt;
    }
    std::string cursor = json_optional_text(*pagination, key);
    if (cursor.empty()) {
        return std::nullopt;
    }
    return cursor;
}

} // namespace streamscope::collector

#include "common/model/event.hpp"

#include <algorithm>

#include "common/json/text.hpp"

namespace streamscope::model {

bool is_event_type(std::string_view name) {
    return std::find(event_types.begin(), event_types.end(), name) != event_types.end();
}

std::string event_json(std::int64_t id, std::string_view type, time::timestamp at,
                       std::string_view sweep_id, std::string_view platform,
                       std::string_view data) {
    std::string json = "{\"id\":";
    json += std::to_string(id);
    json += ",\"type\":";
    json += json::quote(type);
    json += ",\"timestamp\":";
    json += json::quote(time::format_rfc3339(at));
    json += ",\"sweep_id\":";
    json += sweep_id;
    json += ",\"platform\":";
    json += json::quote(platform);
    json += ",\"data\":";
    json += data;
    json += '}';
    return json;
}

} // namespace streamscope::model

#include "collector/twitch/models.hpp"

#include <spdlog/spdlog.h>

#include "collector/platform/json_fields.hpp"

namespace streamscope::twitch {
namespace json = boost::json;
using namespace collector;

namespace {

model::stream_observation read_stream(const json::object& o) {
    model::stream_observation s;
    s.platform_stream_id = json_text(o, "id");
    s.platform_user_id = json_text(o, "user_id");
    s.login = json_text(o, "user_login");
    s.display_name = json_text(o, "user_name");
    s.platform_game_id = json_optional_text(o, "game_id");
    s.game_name = json_optional_text(o, "game_name");
    s.title = json_optional_text(o, "title");
    if (const json::value* tags = o.if_contains("tags"); tags != nullptr && !tags->is_null()) {
        const json::array* list = tags->if_array();
        if (list == nullptr) {
            bad_field("tags", "an array of strings");
        }
        for (const json::value& tag : *list) {
            if (!tag.is_string()) {
                bad_field("tags", "an array of strings");
            }
            s.tags.emplace_back(tag.get_string());
        }
    }
    s.viewer_count = json_count(o, "viewer_count");
    s.started_at = json_timestamp(o, "started_at");
    s.language = json_optional_text(o, "language");
    s.thumbnail_url = json_optional_text(o, "thumbnail_url");
    // is_mature is deprecated on Helix and always false: it carries no signal (see
    // shared/platform-apis.md), so it is not read.
    return s;
}

std::string record_id(const json::value& item) {
    const json::object* o = item.if_object();
    const json::value* id = o != nullptr ? o->if_contains("id") : nullptr;
    return id != nullptr && id->is_string() ? std::string(id->get_string()) : "(no id)";
}

} // namespace

listing_page read_streams_page(const json::value& answer) {
    listing_page page;
    const json::array& data = json_data_array(answer);
    page.streams.reserve(data.size());
    for (const json::value& item : data) {
        try {
            const json::object* o = item.if_object();
            if (o == nullptr) {
                bad_field("(record)", "an object");
            }
            page.streams.push_back(read_stream(*o));
        } catch (const malformed_field& e) {
            ++page.malformed;
            spdlog::warn("Helix sent a stream record that cannot be read (stream {}: {}); it is "
                         "left out of this sweep and counted",
                         record_id(item), e.what());
        }
    }
    if (const json::value* p = answer.as_object().if_contains("pagination")) {
        if (const json::object* po = p->if_object()) {
            if (std::string cursor = json_optional_text(*po, "cursor"); !cursor.empty()) {
                page.cursor = std::move(cursor);
            }
        }
    }
    return page;
}

std::vector<model::channel_profile> read_users(const json::value& answer) {
    std::vector<model::channel_profile> out;
    for (const json::value& item : json_data_array(answer)) {
        const json::object& o = item.as_object();
        model::channel_profile profile;
        profile.platform_user_id = json_text(o, "id");
        profile.description = json_optional_text(o, "description");
        profile.profile_image_url = json_optional_text(o, "profile_image_url");
        profile.broadcaster_type = json_optional_text(o, "broadcaster_type");
        if (std::string created = json_optional_text(o, "created_at"); !created.empty()) {
            profile.account_created_at = time::parse_rfc3339(created);
        }
        out.push_back(std::move(profile));
    }
    return out;
}

std::vector<model::game_info> read_games(const json::value& answer) {
    std::vector<model::game_info> out;
    for (const json::value& item : json_data_array(answer)) {
        const json::object& o = item.as_object();
        out.push_back({.platform_game_id = json_text(o, "id"),
                       .name = json_text(o, "name"),
                       .box_art_url = json_optional_text(o, "box_art_url"),
                       .igdb_id = json_optional_text(o, "igdb_id")});
    }
    return out;
}

std::int64_t read_followers_total(const json::value& answer) {
    return json_integer(answer.as_object(), "total");
}

} // namespace streamscope::twitch

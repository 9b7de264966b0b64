#include "collector/twitch/models.hpp"

#include "collector/platform/json_fields.hpp"
#include "collector/platform/listing_answers.hpp"

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
    s.tags = json_string_list(o, "tags");
    s.viewer_count = json_count(o, "viewer_count");
    s.started_at = json_timestamp(o, "started_at");
    s.language = json_optional_text(o, "language");
    s.thumbnail_url = json_optional_text(o, "thumbnail_url");
    // is_mature is deprecated on Helix and always false: it carries no signal (see
    // shared/platform-apis.md), so it is not read.
    return s;
}

} // namespace

listing_page read_streams_page(const json::value& answer) {
    listing_page page = read_listing(answer, "Helix", read_stream);
    page.cursor = pagination_cursor(answer, "cursor");
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

#include "collector/kick/models.hpp"

#include "collector/platform/json_fields.hpp"
#include "collector/platform/listing_answers.hpp"

namespace streamscope::kick {
namespace json = boost::json;
using namespace collector;

namespace {

// The category's id as text, or "" for none (null, or Go's zero value id 0).
std::string category_id(const json::object& stream) {
    const json::value* category = stream.if_contains("category");
    if (category == nullptr || category->is_null()) {
        return {};
    }
    const json::object* o = category->if_object();
    if (o == nullptr) {
        bad_field("category", "an object or null");
    }
    const json::value* id = o->if_contains("id");
    if (id == nullptr || id->is_null() || (id->is_int64() && id->get_int64() == 0) ||
        (id->is_string() && id->get_string().empty())) {
        return {};
    }
    return json_id(*o, "id");
}

model::stream_observation read_stream(const json::object& o, listing_extras& extras) {
    model::stream_observation s;
    s.platform_stream_id = json_id(o, "id");
    const json::object& broadcaster = json_object(o, "broadcaster_user");
    s.platform_user_id = json_id(broadcaster, "id");
    s.display_name = json_text(broadcaster, "username");
    s.login = json_text(json_object(o, "channel"), "slug");
    s.platform_game_id = category_id(o);
    if (!s.platform_game_id.empty()) {
        const json::object& category = json_object(o, "category");
        s.game_name = json_optional_text(category, "name");
        extras.categories.insert_or_assign(
            s.platform_game_id,
            model::game_info{.platform_game_id = s.platform_game_id,
                             .name = s.game_name,
                             .box_art_url = json_optional_text(category, "thumbnail"),
                             .igdb_id = {}});
    }
    s.title = json_optional_text(o, "title");
    s.tags = json_string_list(o, "tags");
    s.viewer_count = json_count(o, "viewer_count");
    s.started_at = json_timestamp(o, "started_at");
    s.language = json_optional_text(o, "language_code");
    s.thumbnail_url = json_optional_text(o, "thumbnail");
    if (const json::value* mature = o.if_contains("has_mature_content");
        mature != nullptr && mature->is_bool()) {
        s.is_mature = mature->get_bool();
    }
    if (std::string picture = json_optional_text(broadcaster, "profile_picture");
        !picture.empty()) {
        extras.profile_pictures.insert_or_assign(s.platform_user_id, std::move(picture));
    }
    return s;
}

} // namespace

listing_page read_livestreams(const json::value& answer, listing_extras& extras) {
    listing_page page = read_listing(
        answer, "Kick", [&extras](const json::object& o) { return read_stream(o, extras); });
    page.cursor = pagination_cursor(answer, "next_cursor");
    return page;
}

std::int64_t read_total_count(const json::value& answer) {
    return json_integer(json_object(answer.as_object(), "data"), "total_count");
}

} // namespace streamscope::kick

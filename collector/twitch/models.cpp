#include "collector/twitch/models.hpp"

#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace streamscope::twitch {
namespace json = boost::json;

namespace {

[[noreturn]] void bad_field(std::string_view name, std::string_view expected) {
    throw std::invalid_argument("field '" + std::string(name) + "' is missing or not " +
                                std::string(expected));
}

const json::value& field(const json::object& o, std::string_view name) {
    const json::value* v = o.if_contains(name);
    if (v == nullptr) {
        bad_field(name, "present");
    }
    return *v;
}

std::string text(const json::object& o, std::string_view name) {
    const json::string* s = field(o, name).if_string();
    if (s == nullptr) {
        bad_field(name, "a string");
    }
    return std::string(s->data(), s->size());
}

// Text that Twitch may omit or send as null: both read as "".
std::string optional_text(const json::object& o, std::string_view name) {
    const json::value* v = o.if_contains(name);
    if (v == nullptr || v->is_null()) {
        return {};
    }
    if (!v->is_string()) {
        bad_field(name, "a string");
    }
    return std::string(v->get_string());
}

std::int64_t integer(const json::object& o, std::string_view name) {
    const json::value& v = field(o, name);
    if (v.is_int64()) {
        return v.get_int64();
    }
    if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(v.get_uint64());
    }
    bad_field(name, "an integer");
}

time::timestamp timestamp(const json::object& o, std::string_view name) {
    if (auto t = time::parse_rfc3339(text(o, name))) {
        return *t;
    }
    bad_field(name, "an RFC 3339 time");
}

const json::array& data_array(const json::value& v) {
    const json::array* data =
        v.as_object().if_contains("data") ? v.as_object().at("data").if_array() : nullptr;
    if (data == nullptr) {
        bad_field("data", "an array");
    }
    return *data;
}

model::stream_observation read_stream(const json::object& o) {
    model::stream_observation s;
    s.platform_stream_id = text(o, "id");
    s.platform_user_id = text(o, "user_id");
    s.login = text(o, "user_login");
    s.display_name = text(o, "user_name");
    s.platform_game_id = optional_text(o, "game_id");
    s.game_name = optional_text(o, "game_name");
    s.title = optional_text(o, "title");
    if (const json::value* tags = o.if_contains("tags"); tags != nullptr && !tags->is_null()) {
        for (const json::value& tag : tags->as_array()) {
            s.tags.emplace_back(tag.as_string());
        }
    }
    const std::int64_t viewers = integer(o, "viewer_count");
    if (viewers < 0 || viewers > INT32_MAX) {
        bad_field("viewer_count", "a count");
    }
    s.viewer_count = static_cast<std::int32_t>(viewers);
    s.started_at = timestamp(o, "started_at");
    s.language = optional_text(o, "language");
    s.thumbnail_url = optional_text(o, "thumbnail_url");
    // is_mature is deprecated on Helix and always false: it carries no signal (see
    // shared/platform-apis.md), so it is not read.
    return s;
}

} // namespace

std::string describe_error(unsigned status, std::string_view body) {
    boost::system::error_code ec;
    const auto parsed = json::parse(body, ec);
    const std::string message = ec ? std::string() : json::value_to<error_body>(parsed).message;
    return "HTTP " + std::to_string(status) + (message.empty() ? "" : ": " + message);
}

streams_page tag_invoke(json::value_to_tag<streams_page>, const json::value& v) {
    streams_page page;
    const json::array& data = data_array(v);
    page.streams.reserve(data.size());
    for (const json::value& item : data) {
        page.streams.push_back(read_stream(item.as_object()));
    }
    if (const json::value* p = v.as_object().if_contains("pagination")) {
        if (const json::object* po = p->if_object()) {
            if (std::string cursor = optional_text(*po, "cursor"); !cursor.empty()) {
                page.cursor = std::move(cursor);
            }
        }
    }
    return page;
}

users_page tag_invoke(json::value_to_tag<users_page>, const json::value& v) {
    users_page page;
    for (const json::value& item : data_array(v)) {
        const json::object& o = item.as_object();
        user u;
        u.login = text(o, "login");
        u.display_name = text(o, "display_name");
        u.profile.platform_user_id = text(o, "id");
        u.profile.description = optional_text(o, "description");
        u.profile.profile_image_url = optional_text(o, "profile_image_url");
        u.profile.broadcaster_type = optional_text(o, "broadcaster_type");
        if (std::string created = optional_text(o, "created_at"); !created.empty()) {
            u.profile.account_created_at = time::parse_rfc3339(created);
        }
        page.users.push_back(std::move(u));
    }
    return page;
}

games_page tag_invoke(json::value_to_tag<games_page>, const json::value& v) {
    games_page page;
    for (const json::value& item : data_array(v)) {
        const json::object& o = item.as_object();
        page.games.push_back({.platform_game_id = text(o, "id"),
                              .name = text(o, "name"),
                              .box_art_url = optional_text(o, "box_art_url"),
                              .igdb_id = optional_text(o, "igdb_id")});
    }
    return page;
}

followers_total tag_invoke(json::value_to_tag<followers_total>, const json::value& v) {
    return {integer(v.as_object(), "total")};
}

error_body tag_invoke(json::value_to_tag<error_body>, const json::value& v) {
    if (const json::object* o = v.if_object()) {
        return {optional_text(*o, "message")};
    }
    return {};
}

app_token tag_invoke(json::value_to_tag<app_token>, const json::value& v) {
    const json::object& o = v.as_object();
    return {text(o, "access_token"), integer(o, "expires_in")};
}

token_info tag_invoke(json::value_to_tag<token_info>, const json::value& v) {
    const json::object& o = v.as_object();
    return {optional_text(o, "client_id"), integer(o, "expires_in")};
}

} // namespace streamscope::twitch

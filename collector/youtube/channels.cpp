#include "collector/youtube/channels.hpp"

#include <algorithm>
#include <cctype>

#include "collector/platform/json_fields.hpp"
#include "collector/youtube/ids.hpp"
#include "collector/youtube/thumbnails.hpp"
#include "common/text/ascii_case.hpp"

namespace streamscope::youtube {
namespace json = boost::json;
using collector::bad_field;

namespace {

bool is_handle_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

// "@" + 3-30 handle characters.
bool is_handle(std::string_view text) {
    return text.size() >= 4 && text.size() <= 31 && text.front() == '@' &&
           std::all_of(text.begin() + 1, text.end(), is_handle_char);
}

std::string_view trim_space(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<channel_ref> bare_ref(std::string_view text) {
    if (is_channel_id(text)) {
        return channel_ref{channel_ref::kind::id, std::string(text)};
    }
    if (is_handle(text)) {
        return channel_ref{channel_ref::kind::handle, text::ascii_lower(text)};
    }
    return std::nullopt;
}

// The path of a YouTube URL ("/channel/.."), or nullopt when `text` is not one.
std::optional<std::string_view> youtube_path(std::string_view text) {
    for (const std::string_view scheme : {"https://", "http://"}) {
        if (text::starts_with_ignoring_case(text, scheme)) {
            text.remove_prefix(scheme.size());
            break;
        }
    }
    for (const std::string_view host : {"www.youtube.com/", "m.youtube.com/", "youtube.com/"}) {
        if (text::starts_with_ignoring_case(text, host)) {
            return text.substr(host.size() - 1);
        }
    }
    return std::nullopt;
}

std::optional<channel_ref> url_ref(std::string_view text) {
    std::optional<std::string_view> path = youtube_path(text);
    if (!path) {
        return std::nullopt;
    }
    channel_ref::kind expected = channel_ref::kind::id;
    if (path->starts_with("/channel/")) {
        path->remove_prefix(9);
    } else if (path->starts_with("/@")) {
        path->remove_prefix(1);
        expected = channel_ref::kind::handle;
    } else {
        return std::nullopt;
    }
    std::optional<channel_ref> ref = bare_ref(path->substr(0, path->find_first_of("/?#")));
    if (!ref || ref->type != expected) { // "/channel/@name" is no URL of YouTube's
        return std::nullopt;
    }
    return ref;
}

channel_info read_channel(const json::object& o) {
    channel_info c;
    c.channel_id = collector::json_text(o, "id");
    if (!is_channel_id(c.channel_id)) {
        bad_field("id", "a channel id");
    }
    const json::object& snippet = collector::json_object(o, "snippet");
    c.title = collector::json_optional_text(snippet, "title");
    c.handle = text::ascii_lower(collector::json_optional_text(snippet, "customUrl"));
    c.thumbnail_url = largest_thumbnail_url(snippet);
    if (const json::value* published = snippet.if_contains("publishedAt");
        published != nullptr && !published->is_null()) {
        c.published = collector::json_timestamp(snippet, "publishedAt");
    }
    const json::value* details = o.if_contains("contentDetails");
    const json::value* related = details != nullptr && details->is_object()
                                     ? details->get_object().if_contains("relatedPlaylists")
                                     : nullptr;
    if (related != nullptr && related->is_object()) {
        c.uploads_playlist = collector::json_optional_text(related->get_object(), "uploads");
    }
    if (c.uploads_playlist.empty()) {
        c.uploads_playlist = uploads_playlist_of(c.channel_id);
    }
    return c;
}

} // namespace

std::vector<channel_info> read_channels(const json::value& answer, std::int32_t& malformed) {
    const json::object* o = answer.if_object();
    if (o == nullptr) {
        bad_field("(answer)", "an object");
    }
    std::vector<channel_info> channels;
    const json::value* items = o->if_contains("items");
    if (items == nullptr) {
        return channels;
    }
    if (!items->is_array()) {
        bad_field("items", "an array");
    }
    for (const json::value& record : items->get_array()) {
        try {
            const json::object* item = record.if_object();
            if (item == nullptr) {
                bad_field("(record)", "an object");
            }
            channels.push_back(read_channel(*item));
        } catch (const collector::malformed_field&) {
            ++malformed;
        }
    }
    return channels;
}

std::vector<channel_info> read_channels(const json::value& answer) {
    std::int32_t malformed = 0;
    return read_channels(answer, malformed);
}

std::optional<channel_ref> parse_channel_ref(std::string_view text) {
    text = trim_space(text);
    if (std::optional<channel_ref> ref = bare_ref(text)) {
        return ref;
    }
    return url_ref(text);
}

std::string uploads_playlist_of(std::string_view channel_id) {
    if (!is_channel_id(channel_id)) {
        return {};
    }
    std::string playlist(channel_id);
    playlist[1] = 'U';
    return playlist;
}

} // namespace streamscope::youtube

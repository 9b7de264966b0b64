#include "collector/youtube/videos.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <string_view>
#include <unordered_set>

#include "collector/platform/json_fields.hpp"
#include "collector/youtube/ids.hpp"
#include "collector/youtube/thumbnails.hpp"

namespace streamscope::youtube {
namespace json = boost::json;
using collector::bad_field;
using collector::malformed_field;

namespace {

// A time that may be missing (or null); one that is there must be RFC 3339.
std::optional<time::timestamp> optional_time(const json::object& o, std::string_view name) {
    const json::value* v = o.if_contains(name);
    if (v == nullptr || v->is_null()) {
        return std::nullopt;
    }
    return collector::json_timestamp(o, name);
}

// concurrentViewers: a uint64 that Google writes as a JSON string. Above INT32_MAX it reads
// INT32_MAX: the model and the database hold an int32; the most watched broadcasts so far had a
// few million viewers, so such a number is YouTube's glitch, and the broadcast's phase and
// times are still worth keeping.
std::optional<std::int32_t> concurrent_viewers(const json::object& details) {
    const json::value* v = details.if_contains("concurrentViewers");
    if (v == nullptr || v->is_null()) {
        return std::nullopt;
    }
    const json::string* text = v->if_string();
    if (text == nullptr || text->empty() ||
        !std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; })) {
        bad_field("concurrentViewers", "a string of decimal digits");
    }
    std::uint64_t count = 0;
    if (std::from_chars(text->data(), text->data() + text->size(), count).ec != std::errc{}) {
        bad_field("concurrentViewers", "a count within uint64");
    }
    constexpr auto most = static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max());
    return static_cast<std::int32_t>(std::min(count, most));
}

video read_video(const json::object& o) {
    video v;
    v.video_id = collector::json_text(o, "id");
    if (!is_video_id(v.video_id)) {
        bad_field("id", "a video id");
    }
    const json::object& snippet = collector::json_object(o, "snippet");
    v.channel_id = collector::json_text(snippet, "channelId");
    if (!is_channel_id(v.channel_id)) {
        bad_field("snippet.channelId", "a channel id");
    }
    v.published = optional_time(snippet, "publishedAt");

    model::stream_observation& s = v.observation;
    s.platform_stream_id = v.video_id;
    s.platform_user_id = v.channel_id;
    s.display_name = collector::json_optional_text(snippet, "channelTitle");
    s.platform_game_id = collector::json_optional_text(snippet, "categoryId");
    s.title = collector::json_optional_text(snippet, "title");
    s.tags = collector::json_string_list(snippet, "tags");
    s.language = collector::json_optional_text(snippet, "defaultAudioLanguage");
    if (s.language.empty()) {
        s.language = collector::json_optional_text(snippet, "defaultLanguage");
    }
    s.thumbnail_url = largest_thumbnail_url(snippet);

    const bool says_upcoming =
        collector::json_optional_text(snippet, "liveBroadcastContent") == "upcoming";
    const json::value* details_value = o.if_contains("liveStreamingDetails");
    if (details_value == nullptr || details_value->is_null()) {
        v.phase = says_upcoming ? video_phase::upcoming : video_phase::not_a_broadcast;
        return v;
    }
    const json::object* details = details_value->if_object();
    if (details == nullptr) {
        bad_field("liveStreamingDetails", "an object");
    }
    v.scheduled_start = optional_time(*details, "scheduledStartTime");
    v.actual_start = optional_time(*details, "actualStartTime");
    v.actual_end = optional_time(*details, "actualEndTime");
    s.viewer_count = concurrent_viewers(*details);
    if (v.actual_start) {
        s.started_at = *v.actual_start;
    }
    if (v.actual_end) {
        v.phase = video_phase::ended;
    } else if (v.actual_start) {
        v.phase = video_phase::live;
    } else if (v.scheduled_start || says_upcoming) {
        v.phase = video_phase::upcoming;
    } else {
        v.phase = video_phase::not_a_broadcast;
    }
    return v;
}

// The record's id for `unreadable`, whatever its shape.
std::string id_of(const json::value& record) {
    const json::object* o = record.if_object();
    const json::value* id = o != nullptr ? o->if_contains("id") : nullptr;
    return id != nullptr && id->is_string() ? std::string(id->get_string()) : std::string();
}

} // namespace

video_answer read_videos(const json::value& answer) {
    const json::object* o = answer.if_object();
    const json::value* items_value = o != nullptr ? o->if_contains("items") : nullptr;
    const json::array* items = items_value != nullptr ? items_value->if_array() : nullptr;
    if (items == nullptr) {
        bad_field("items", "an array");
    }
    video_answer out;
    out.videos.reserve(items->size());
    for (const json::value& record : *items) {
        try {
            const json::object* item = record.if_object();
            if (item == nullptr) {
                bad_field("(record)", "an object");
            }
            out.videos.push_back(read_video(*item));
        } catch (const malformed_field& e) {
            out.unreadable.push_back({id_of(record), e.what()});
            ++out.malformed;
        }
    }
    return out;
}

std::vector<std::string> missing_ids(std::span<const std::string> asked,
                                     const video_answer& answer) {
    std::unordered_set<std::string_view> seen;
    for (const video& v : answer.videos) {
        seen.insert(v.video_id);
    }
    for (const unreadable_video& u : answer.unreadable) {
        seen.insert(u.video_id);
    }
    std::vector<std::string> missing;
    for (const std::string& id : asked) {
        if (seen.insert(id).second) {
            missing.push_back(id);
        }
    }
    return missing;
}

} // namespace streamscope::youtube

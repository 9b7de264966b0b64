#pragma once
// A videos.list(part=snippet,liveStreamingDetails) answer mapped onto the sweep model. 1 unit
// of the shared 10,000-a-day quota per call of up to 50 ids: how live broadcasts and their
// viewer counts are read. Pure: no I/O.
//   {"items": [{"id": "..", "snippet": {"publishedAt", "channelId", "title", "description",
//     "thumbnails": {..}, "channelTitle", "tags": [..], "categoryId", "liveBroadcastContent",
//     "defaultAudioLanguage", "defaultLanguage"}, "liveStreamingDetails": {"actualStartTime",
//     "actualEndTime", "scheduledStartTime", "concurrentViewers": "<uint64 as text>",
//     "activeLiveChatId"}}]}
// Unknown fields are ignored. A record that cannot be read is left out and counted, never the
// rest of the answer; an answer without `items` throws collector::malformed_field.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "common/model/sweep.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::youtube {

enum class video_phase {
    upcoming,       // scheduled (or liveBroadcastContent "upcoming"), not started
    live,           // actualStartTime set, actualEndTime not
    ended,          // actualEndTime set
    not_a_broadcast // no liveStreamingDetails: an upload
};

struct video {
    std::string video_id;
    std::string channel_id;
    video_phase phase = video_phase::not_a_broadcast;
    std::optional<time::timestamp> scheduled_start, actual_start, actual_end;
    std::optional<time::timestamp> published; // snippet.publishedAt
    // Filled for every phase: platform_stream_id = the video id, platform_user_id = channelId,
    // login = "" (YouTube has no login; the handle comes from channels.list), display_name =
    // channelTitle, platform_game_id = categoryId, game_name = "", title, tags, viewer_count =
    // concurrentViewers (nullopt when absent: hidden by the owner, no viewers, or over; above
    // INT32_MAX it reads INT32_MAX), started_at = actualStartTime (the epoch when there is none:
    // upcoming and not_a_broadcast), language = defaultAudioLanguage, else defaultLanguage,
    // else "", thumbnail_url = the largest thumbnail's, is_mature = false.
    model::stream_observation observation;
};

// A record of the answer that could not be read.
struct unreadable_video {
    std::string video_id; // "" when the record has none
    std::string problem;  // for a log line: "field 'concurrentViewers' is missing or not .."
};

struct video_answer {
    std::vector<video> videos;  // in the answer's order
    std::int32_t malformed = 0; // records left out: unreadable.size()
    std::vector<unreadable_video> unreadable;
};

// Throws collector::malformed_field when `answer` is not an object with an `items` array. A
// record is left out (and listed in `unreadable`) when it is not an object, has no id or one
// that is not a video id, no snippet or no snippet.channelId that is a channel id, a time
// that is present but not RFC 3339, a concurrentViewers that is not a string of decimal digits
// within uint64, or a tag that is not a string.
video_answer read_videos(const boost::json::value& answer);

// The asked ids the answer leaves out, in the order asked, each once: videos that were deleted
// or made private (or never existed). Ids of records that were there but unreadable are not
// among them: those videos exist.
std::vector<std::string> missing_ids(std::span<const std::string> asked,
                                     const video_answer& answer);

} // namespace streamscope::youtube

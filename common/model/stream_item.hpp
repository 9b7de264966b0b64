#pragma once
// One live stream as every answer shows it: the /live routes' items, a channel's live
// stream, and the stream of an event (stream.live, top.entered, ...). One builder, so that
// an event's stream and the same stream in /live/streams never differ in shape.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/model/platform.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::model {

struct stream_item_fields {
    std::string_view platform;
    std::string_view channel_id; // the platform's user id
    std::string_view username;   // the login (Kick: slug; YouTube: handle or channel id)
    std::string_view display_name;
    std::string_view title;
    std::string_view game_id; // the platform's; "" for none
    std::string_view game_name;
    std::optional<std::int64_t> viewer_count; // nullopt: hidden by the channel
    std::string_view language;
    time::timestamp started_at;
    time::timestamp collected_at;
    std::string_view thumbnail_url; // as stored: Twitch's is a {width}x{height} template
    std::string_view stream_url;
};

boost::json::object stream_item(const stream_item_fields& f);

// Where the stream is watched on its platform. The SQL function stream_url()
// (sql/functions/stream_url.sql, for SQL users' views) says the same: a database test holds
// the two together.
std::string stream_url(platform p, std::string_view login, std::string_view platform_stream_id);

} // namespace streamscope::model

#pragma once
// Outbox events as the collector writes them, for the webhook payload tests: one of each type
// around one stream item, whose fields a test can change.

#include <string>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

namespace streamscope::testing {

inline boost::json::object stream_item() {
    return boost::json::parse(R"({
        "platform": "twitch", "channel_id": "71092938", "username": "xqc",
        "display_name": "xQc", "title": "REACT ANDY", "game_id": "509658",
        "game_name": "Just Chatting", "viewer_count": 45210, "language": "en",
        "started_at": "2026-12-07T17:48:00Z", "collected_at": "2026-12-07T23:00:00Z",
        "thumbnail_url": "https://static-cdn.jtvnw.net/previews-ttv/live_user_xqc.jpg",
        "stream_url": "https://www.twitch.tv/xqc"})")
        .as_object();
}

// {"id": 123, "type": type, "timestamp", "sweep_id": 456, "platform": "twitch", "data": data}
inline boost::json::object event_of(const std::string& type, boost::json::object data) {
    boost::json::object event{{"id", 123},
                              {"type", type},
                              {"timestamp", "2026-12-07T23:00:00Z"},
                              {"sweep_id", 456},
                              {"platform", "twitch"}};
    event["data"] = std::move(data);
    return event;
}

inline boost::json::object stream_event(const std::string& type,
                                        boost::json::object stream = stream_item()) {
    boost::json::object data;
    data["stream"] = std::move(stream);
    return event_of(type, std::move(data));
}

} // namespace streamscope::testing

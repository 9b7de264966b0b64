#include "collector/youtube/queries.hpp"

#include "collector/youtube/channels.hpp"

namespace streamscope::youtube {

std::string comma_list(const std::vector<std::string>& ids) {
    std::string out;
    for (const std::string& id : ids) {
        if (!out.empty()) {
            out += ',';
        }
        out += id;
    }
    return out;
}

collector::query broadcasts_query(const std::vector<std::string>& video_ids) {
    return {{"part", "snippet,liveStreamingDetails"},
            {"id", comma_list(video_ids)},
            {"maxResults", "50"}};
}

collector::query channels_query(const std::vector<std::string>& channel_ids) {
    return {{"part", "snippet"}, {"id", comma_list(channel_ids)}, {"maxResults", "50"}};
}

collector::query handle_query(const std::string& handle) {
    return {{"part", "snippet"}, {"forHandle", handle}};
}

collector::query uploads_query(const std::string& channel_id) {
    return {{"part", "contentDetails"},
            {"playlistId", uploads_playlist_of(channel_id)},
            {"maxResults", "50"}};
}

collector::query live_search_query(const std::string& words) {
    return {{"part", "snippet"}, {"type", "video"},      {"eventType", "live"},
            {"q", words},        {"order", "viewCount"}, {"maxResults", "50"}};
}

} // namespace streamscope::youtube

#include "common/model/stream_item.hpp"

namespace streamscope::model {
namespace {

// Twitch's thumbnail is a template; the original design served it at 440x248.
std::string sized_thumbnail(std::string_view url) {
    std::string out(url);
    if (const auto at = out.find("{width}x{height}"); at != std::string::npos) {
        out.replace(at, 16, "440x248");
    }
    return out;
}

} // namespace

boost::json::object stream_item(const stream_item_fields& f) {
    boost::json::object item;
    item["platform"] = f.platform;
    item["channel_id"] = f.channel_id;
    item["username"] = f.username;
    item["display_name"] = f.display_name;
    item["title"] = f.title;
    item["game_id"] = f.game_id;
    item["game_name"] = f.game_name;
    if (f.viewer_count) {
        item["viewer_count"] = *f.viewer_count;
    } else {
        item["viewer_count"] = nullptr;
    }
    item["language"] = f.language;
    item["started_at"] = time::format_rfc3339(f.started_at);
    item["collected_at"] = time::format_rfc3339(f.collected_at);
    item["thumbnail_url"] = sized_thumbnail(f.thumbnail_url);
    item["stream_url"] = f.stream_url;
    return item;
}

std::string stream_url(platform p, std::string_view login, std::string_view platform_stream_id) {
    std::string url;
    switch (p) {
    case platform::twitch:
        url = "https://www.twitch.tv/";
        url += login;
        break;
    case platform::kick:
        url = "https://kick.com/";
        url += login;
        break;
    case platform::youtube:
        url = "https://www.youtube.com/watch?v=";
        url += platform_stream_id;
        break;
    }
    return url;
}

} // namespace streamscope::model

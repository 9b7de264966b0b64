#include "tests/support/sweep_builder.hpp"

#include <iterator>
#include <stdexcept>

namespace streamscope::testing {

time::timestamp at(std::string_view rfc3339) {
    if (auto t = time::parse_rfc3339(rfc3339)) {
        return *t;
    }
    throw std::invalid_argument("not an RFC 3339 time: " + std::string(rfc3339));
}

model::stream_observation make_stream(long channel, long stream, time::timestamp started_at) {
    model::stream_observation s;
    s.platform_stream_id = "stream-" + std::to_string(stream);
    s.platform_user_id = "user-" + std::to_string(channel);
    s.login = "user_" + std::to_string(channel);
    s.display_name = "User_" + std::to_string(channel);
    if (channel % 20 != 0) {
        s.platform_game_id = "game-" + std::to_string(channel % 50);
        s.game_name = "Game " + std::to_string(channel % 50);
    }
    s.title = "Stream " + std::to_string(stream) + " of channel " + std::to_string(channel) +
              ": ranked grind, come hang out";
    s.tags = {"English", "Chill"};
    s.viewer_count = static_cast<std::int32_t>(100000 / (stream + 1));
    s.started_at = started_at;
    s.language = "en";
    s.thumbnail_url =
        "https://static-cdn.jtvnw.net/previews-ttv/live_user_" + s.login + "-{width}x{height}.jpg";
    return s;
}

model::sweep make_sweep(time::timestamp started_at,
                        std::vector<model::stream_observation> streams) {
    model::sweep sweep;
    sweep.started_at = started_at;
    sweep.finished_at = started_at + std::chrono::seconds{90};
    sweep.pages = static_cast<std::int32_t>(streams.size() / 100 + 1);
    sweep.requests = sweep.pages;
    sweep.streams.assign(std::make_move_iterator(streams.begin()),
                         std::make_move_iterator(streams.end()));
    return sweep;
}

} // namespace streamscope::testing

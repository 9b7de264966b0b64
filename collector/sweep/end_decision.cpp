#include "collector/sweep/end_decision.hpp"

namespace streamscope::collector {

std::vector<std::string> channels_to_look_up(const std::vector<open_broadcast>& open,
                                             const stream_set& seen) {
    std::vector<std::string> out;
    std::unordered_set<std::string_view> listed;
    for (const open_broadcast& b : open) {
        if (!seen.has_channel(b.user_id) && listed.insert(b.user_id).second) {
            out.push_back(b.user_id);
        }
    }
    return out;
}

end_decision decide_ends(const std::vector<open_broadcast>& open, const stream_set& seen,
                         const lookup_answers& answers, bool latest_sweep_complete,
                         bool this_sweep_complete) {
    end_decision out;
    std::unordered_set<std::string_view> recovered_channels;
    for (const open_broadcast& b : open) {
        const auto ended = [&] { out.ended.push_back({b.stream_id, b.last_seen}); };
        if (const std::string_view current = seen.stream_of(b.user_id); !current.empty()) {
            if (current != b.stream_id) {
                ended(); // the channel is live with a newer broadcast
            }
            continue;
        }
        if (answers.asked.contains(b.user_id)) {
            auto live = answers.live.find(b.user_id);
            if (live == answers.live.end()) {
                ended(); // offline now
                continue;
            }
            if (live->second.platform_stream_id != b.stream_id) {
                ended();
            }
            if (recovered_channels.insert(live->first).second) {
                out.recovered.push_back(live->second);
            }
            continue;
        }
        if (!b.in_latest_sweep && latest_sweep_complete && this_sweep_complete) {
            ended(); // missing from two complete sweeps in a row
        } else {
            ++out.undecided;
        }
    }
    return out;
}

} // namespace streamscope::collector

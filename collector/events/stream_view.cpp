#include "collector/events/stream_view.hpp"

#include <algorithm>
#include <string_view>

namespace streamscope::collector::events {
namespace {

// Whether stream a ranks before b: more viewers, then the smaller id.
bool ranks_before(const model::stream_observation& a, const model::stream_observation& b) {
    if (*a.viewer_count != *b.viewer_count) {
        return *a.viewer_count > *b.viewer_count;
    }
    return a.platform_stream_id < b.platform_stream_id;
}

// The best `size` of `candidates` (indices into streams), as stream ids.
ranking best_of(const std::deque<model::stream_observation>& streams,
                std::vector<std::size_t>& candidates, std::size_t size) {
    const auto end =
        candidates.begin() + static_cast<std::ptrdiff_t>(std::min(size, candidates.size()));
    std::partial_sort(
        candidates.begin(), end, candidates.end(),
        [&streams](std::size_t a, std::size_t b) { return ranks_before(streams[a], streams[b]); });
    ranking out;
    out.reserve(static_cast<std::size_t>(end - candidates.begin()));
    for (auto it = candidates.begin(); it != end; ++it) {
        out.push_back(streams[*it].platform_stream_id);
    }
    return out;
}

} // namespace

rankings rank(const std::deque<model::stream_observation>& streams, const event_rules& rules) {
    std::vector<std::size_t> counted;
    std::unordered_map<std::string_view, std::vector<std::size_t>> by_game;
    for (std::size_t i = 0; i < streams.size(); ++i) {
        if (!streams[i].viewer_count) {
            continue;
        }
        counted.push_back(i);
        if (!streams[i].platform_game_id.empty()) {
            by_game[streams[i].platform_game_id].push_back(i);
        }
    }
    rankings out;
    out.top = best_of(streams, counted, rules.top_size);
    if (rules.top_per_game == 0 || rules.top_games == 0) {
        return out;
    }
    // The biggest games by viewers (ties: the smaller id), of those big enough for a list.
    struct game_size {
        std::string_view game;
        std::int64_t viewers = 0;
        std::vector<std::size_t>* members = nullptr;
    };
    std::vector<game_size> games;
    for (auto& [game, members] : by_game) {
        if (members.size() < rules.top_per_game) {
            continue;
        }
        std::int64_t viewers = 0;
        for (const std::size_t i : members) {
            viewers += *streams[i].viewer_count;
        }
        games.push_back({game, viewers, &members});
    }
    const auto biggest =
        games.begin() + static_cast<std::ptrdiff_t>(std::min(rules.top_games, games.size()));
    std::partial_sort(games.begin(), biggest, games.end(),
                      [](const game_size& a, const game_size& b) {
                          return a.viewers != b.viewers ? a.viewers > b.viewers : a.game < b.game;
                      });
    for (auto it = games.begin(); it != biggest; ++it) {
        out.per_game.emplace(std::string(it->game),
                             best_of(streams, *it->members, rules.top_per_game));
    }
    return out;
}

void advance(stream_view& view, const model::sweep& sweep, std::optional<rankings> ranked) {
    view.sweep_at = sweep.started_at;
    if (sweep.status == model::sweep_status::failed) {
        return;
    }
    for (const model::stream_observation& s : sweep.streams) {
        seen_stream& seen = view.open[s.platform_stream_id];
        seen.stream = s;
        seen.stream.tags.clear();
        seen.stream.tags.shrink_to_fit();
        seen.collected_at = sweep.started_at;
    }
    for (const model::ended_stream& e : sweep.ended) {
        view.open.erase(e.platform_stream_id);
    }
    if (sweep.status == model::sweep_status::complete && ranked) {
        view.top_lists = std::move(*ranked);
    }
}

} // namespace streamscope::collector::events

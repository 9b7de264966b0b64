#include "collector/events/derive.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <boost/json/serialize.hpp>

#include "common/model/stream_item.hpp"

namespace streamscope::collector::events {
namespace {

namespace json = boost::json;

// Builds the sweep's events in the order they are written: ended, live, changed, crossed,
// left, entered (each in the sweep's or the list's order).
class event_builder {
public:
    event_builder(const model::sweep& sweep, std::vector<model::event>& out)
        : platform_(sweep.source), out_(out) {}

    // `s` as its item, as `collected_at` showed it.
    json::object item(const model::stream_observation& s, time::timestamp collected_at) const {
        const std::string url = model::stream_url(platform_, s.login, s.platform_stream_id);
        return model::stream_item({
            .platform = model::to_string(platform_),
            .channel_id = s.platform_user_id,
            .username = s.login,
            .display_name = s.display_name,
            .title = s.title,
            .game_id = s.platform_game_id,
            .game_name = s.game_name,
            .viewer_count = s.viewer_count,
            .language = s.language,
            .started_at = s.started_at,
            .collected_at = collected_at,
            .thumbnail_url = s.thumbnail_url,
            .stream_url = url,
        });
    }

    // An event about stream `s`, whose data is {"stream": item, ...extra}.
    void add(std::string_view type, const model::stream_observation& s,
             time::timestamp collected_at, json::object extra = {}) {
        json::object data;
        data["stream"] = item(s, collected_at);
        for (auto& [key, value] : extra) {
            data[key] = std::move(value);
        }
        out_.push_back({
            .type = std::string(type),
            .channel = s.login,
            .game_id = s.platform_game_id,
            .game_name = s.game_name,
            .viewers = s.viewer_count ? std::optional<std::int64_t>(*s.viewer_count) : std::nullopt,
            .data = json::serialize(data),
        });
    }

private:
    model::platform platform_;
    std::vector<model::event>& out_;
};

json::object list_of(std::string_view scope, const model::stream_observation* game_of,
                     std::size_t size) {
    json::object list;
    list["scope"] = scope;
    if (game_of) {
        list["game_id"] = game_of->platform_game_id;
        list["game_name"] = game_of->game_name;
    } else {
        list["game_id"] = nullptr;
        list["game_name"] = nullptr;
    }
    list["size"] = size;
    return list;
}

} // namespace

derivation derive(const stream_view& view, const model::sweep& sweep, const event_rules& rules) {
    derivation out;
    if (sweep.status == model::sweep_status::complete) {
        out.ranked = rank(sweep.streams, rules);
    }
    if (!view.sweep_at || sweep.status == model::sweep_status::failed) {
        return out; // a baseline, or nothing seen
    }
    event_builder events(sweep, out.events);
    const time::timestamp now = sweep.started_at;

    for (const model::ended_stream& e : sweep.ended) {
        if (const auto it = view.open.find(e.platform_stream_id); it != view.open.end()) {
            json::object extra;
            extra["ended_at"] = time::format_rfc3339(e.last_seen_at);
            events.add("stream.ended", it->second.stream, it->second.collected_at,
                       std::move(extra));
        }
    }

    // The sweep's streams by id, for the top lists' items.
    std::unordered_map<std::string_view, const model::stream_observation*> in_sweep;
    in_sweep.reserve(sweep.streams.size());
    std::vector<const model::stream_observation*> changed;
    std::vector<std::pair<const model::stream_observation*, const seen_stream*>> compared;
    for (const model::stream_observation& s : sweep.streams) {
        in_sweep.emplace(s.platform_stream_id, &s);
        const auto it = view.open.find(s.platform_stream_id);
        if (it == view.open.end()) {
            events.add("stream.live", s, now);
        } else {
            compared.emplace_back(&s, &it->second);
        }
    }
    for (const auto& [s, before] : compared) {
        const model::stream_observation& was = before->stream;
        const bool title = s->title != was.title;
        const bool game = s->platform_game_id != was.platform_game_id;
        if (!title && !game) {
            continue;
        }
        json::object previous;
        previous["title"] = was.title;
        previous["game_id"] = was.platform_game_id;
        previous["game_name"] = was.game_name;
        json::array what;
        if (title) {
            what.emplace_back("title");
        }
        if (game) {
            what.emplace_back("game");
        }
        json::object extra;
        extra["previous"] = std::move(previous);
        extra["changed"] = std::move(what);
        events.add("stream.changed", *s, now, std::move(extra));
    }
    for (const auto& [s, before] : compared) {
        const auto& was = before->stream.viewer_count;
        if (!s->viewer_count || !was) {
            continue;
        }
        for (const std::int64_t threshold : rules.viewer_thresholds) {
            if (*was < threshold && *s->viewer_count >= threshold) {
                json::object extra;
                extra["threshold"] = threshold;
                extra["previous_viewer_count"] = *was;
                events.add("viewers.crossed", *s, now, std::move(extra));
            }
        }
    }

    if (!out.ranked || !view.top_lists) {
        return out;
    }
    // A stream that left a list: as this sweep shows it, or as last seen (ended, or missed).
    const auto left = [&](const ranking& before, const ranking& after, json::object list) {
        const std::unordered_set<std::string_view> staying(after.begin(), after.end());
        for (std::size_t i = 0; i < before.size(); ++i) {
            if (staying.contains(before[i])) {
                continue;
            }
            json::object extra;
            extra["list"] = list;
            extra["previous_rank"] = i + 1;
            if (const auto it = in_sweep.find(before[i]); it != in_sweep.end()) {
                events.add("top.left", *it->second, now, std::move(extra));
            } else if (const auto seen = view.open.find(before[i]); seen != view.open.end()) {
                events.add("top.left", seen->second.stream, seen->second.collected_at,
                           std::move(extra));
            }
        }
    };
    const auto entered = [&](const ranking& before, const ranking& after, json::object list) {
        const std::unordered_set<std::string_view> were(before.begin(), before.end());
        for (std::size_t i = 0; i < after.size(); ++i) {
            if (were.contains(after[i])) {
                continue;
            }
            json::object extra;
            extra["list"] = list;
            extra["rank"] = i + 1;
            events.add("top.entered", *in_sweep.at(after[i]), now, std::move(extra));
        }
    };
    const rankings& before = *view.top_lists;
    const rankings& after = *out.ranked;
    const json::object platform_list = list_of("platform", nullptr, rules.top_size);
    left(before.top, after.top, platform_list);
    entered(before.top, after.top, platform_list);
    // Games in id order, so that a sweep's events come in the same order every time.
    std::vector<std::string_view> games;
    for (const auto& [game, ignored] : after.per_game) {
        if (before.per_game.contains(game)) {
            games.push_back(game); // a game too small a sweep ago had no list to enter
        }
    }
    std::sort(games.begin(), games.end());
    for (const std::string_view game : games) {
        const ranking& now_top = after.per_game.at(std::string(game));
        const json::object game_list =
            list_of("game", in_sweep.at(now_top.front()), rules.top_per_game);
        const ranking& was_top = before.per_game.at(std::string(game));
        left(was_top, now_top, game_list);
        entered(was_top, now_top, game_list);
    }
    return out;
}

} // namespace streamscope::collector::events

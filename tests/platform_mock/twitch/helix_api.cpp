#include "tests/platform_mock/twitch/helix_api.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_set>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include "tests/platform_mock/nasty_text.hpp"
#include "tests/platform_mock/twitch/cursor.hpp"
#include "tests/platform_mock/twitch/errors.hpp"

namespace streamscope::platform_mock::twitch {
namespace {

constexpr std::size_t max_values = 100;

// `first`: 1..100, `fallback` when absent. nullopt when malformed or out of range.
std::optional<std::uint64_t> page_size(const query& q, std::uint64_t fallback) {
    const auto text = q.first("first");
    if (!text) {
        return fallback;
    }
    std::uint64_t n = 0;
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (text->empty() || ec != std::errc{} || ptr != text->data() + text->size() || n < 1 ||
        n > 100) {
        return std::nullopt;
    }
    return n;
}

reply bad_first() {
    return helix_error(400, "The parameter \"first\" must be an integer from 1 to 100");
}

reply too_many(std::string_view what) {
    return helix_error(400, "The parameter \"" + std::string(what) +
                                "\" may be given at most 100 times");
}

std::uint64_t fnv1a(std::uint64_t hash, std::string_view text) {
    for (char c : text) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    }
    return hash;
}

std::vector<std::string_view> sorted_unique(std::vector<std::string_view> values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
}

// The filter a cursor belongs to, folded with the world instance: a cursor from another
// filter or another mock is "invalid cursor", as Twitch treats cursors it did not issue.
std::uint64_t cursor_scope(std::uint64_t instance, const std::vector<std::string_view>& games,
                           const std::vector<std::string_view>& languages) {
    std::uint64_t hash = 0xcbf29ce484222325ULL ^ instance;
    for (auto g : games) {
        hash = fnv1a(fnv1a(hash, "g"), g);
    }
    for (auto l : languages) {
        hash = fnv1a(fnv1a(hash, "l"), l);
    }
    return rng::mix(hash);
}

// A page holds some 2,000 JSON nodes: allocating them from one arena instead of one malloc each
// halves the cost of a page.
constexpr std::size_t page_arena_bytes = 128 * 1024;

boost::json::object stream_json(const world& w, const live_stream& s,
                                const boost::json::storage_ptr& sp) {
    const channel& c = w.channel_at(s.channel);
    const game* g = w.game_of(c);
    boost::json::array tags(sp);
    for (auto t : c.tags) {
        tags.emplace_back(text::tag_pool()[t]);
    }
    return boost::json::object(
        {
            {"id", s.id_text},
            {"user_id", c.user_id},
            {"user_login", c.login},
            {"user_name", c.display_name},
            {"game_id", g != nullptr ? std::string_view(g->id) : ""},
            {"game_name", g != nullptr ? std::string_view(g->name) : ""},
            {"type", "live"},
            {"title", c.title},
            {"tags", std::move(tags)},
            {"viewer_count", s.viewer_count},
            {"started_at", s.started_at},
            {"language", world::languages()[c.language]},
            {"thumbnail_url", "https://static-cdn.jtvnw.net/previews-ttv/live_user_" + c.login +
                                  "-{width}x{height}.jpg"},
            {"tag_ids", boost::json::array(sp)},
            {"is_mature", false},
        },
        sp);
}

// The game_id and language filters of a request, as a stream passes them. The languages are
// looked up once per request: a sweep paged by language filters the whole list for each page.
class stream_filter {
public:
    stream_filter(const std::vector<std::string_view>& games,
                  const std::vector<std::string_view>& languages)
        : games_(games), any_language_(languages.empty()) {
        for (const std::string_view code : world::languages()) {
            language_passes_.push_back(
                std::binary_search(languages.begin(), languages.end(), code));
        }
    }

    bool filters() const { return !games_.empty() || !any_language_; }

    bool passes(const world& w, const live_stream& s) const {
        const channel& c = w.channel_at(s.channel);
        if (!games_.empty()) {
            const game* g = w.game_of(c);
            if (g == nullptr || !std::binary_search(games_.begin(), games_.end(), g->id)) {
                return false;
            }
        }
        return any_language_ || language_passes_[c.language];
    }

private:
    const std::vector<std::string_view>& games_;
    bool any_language_;
    std::vector<bool> language_passes_; // by index into world::languages()
};

reply streams_of_channels(const world& w, const query& q, const stream_filter& filter,
                          bool omit_pagination) {
    boost::json::monotonic_resource arena(page_arena_bytes);
    const boost::json::storage_ptr sp(&arena);
    boost::json::array data(sp);
    std::unordered_set<std::uint32_t> seen;
    const auto add = [&](const channel* c) {
        if (c != nullptr && c->live_slot != channel::offline && seen.insert(c->live_slot).second) {
            const live_stream& s = w.stream(c->live_slot);
            if (filter.passes(w, s)) {
                data.push_back(stream_json(w, s, sp));
            }
        }
    };
    for (auto id : q.all("user_id")) {
        add(w.find_channel_by_id(id));
    }
    for (auto login : q.all("user_login")) {
        add(w.find_channel_by_login(login));
    }
    boost::json::object body({{"data", std::move(data)}}, sp);
    if (!omit_pagination) {
        body["pagination"] = boost::json::object(sp);
    }
    return json_reply(200, body);
}

} // namespace

reply get_streams(world& w, const query& q, const streams_context& context) {
    const auto first = page_size(q, 20);
    if (!first) {
        return bad_first();
    }
    const auto games = sorted_unique(q.all("game_id"));
    const auto languages = sorted_unique(q.all("language"));
    if (q.all("game_id").size() > max_values) {
        return too_many("game_id");
    }
    if (q.all("language").size() > max_values) {
        return too_many("language");
    }
    if (q.all("user_id").size() > max_values) {
        return too_many("user_id");
    }
    if (q.all("user_login").size() > max_values) {
        return too_many("user_login");
    }
    if (const auto type = q.first("type"); type && *type != "all" && *type != "live") {
        return helix_error(400, "The parameter \"type\" must be all or live");
    }
    if (q.has("user_id") || q.has("user_login")) {
        return streams_of_channels(w, q, stream_filter(games, languages),
                                   context.effects->omit_pagination);
    }

    const auto after = q.first("after");
    const auto before = q.first("before");
    if (after && before) {
        return helix_error(400, "after and before cannot be used at the same time");
    }
    const std::uint64_t scope = cursor_scope(context.instance, games, languages);
    std::optional<page_cursor> from;
    if (after || before) {
        from = decode_cursor(after ? *after : *before);
        if (!from || from->scope != scope) {
            return helix_error(400, "invalid cursor");
        }
    }
    const fault_effects& effects = *context.effects;
    if (effects.invalid_cursor) {
        return helix_error(400, "invalid cursor");
    }

    if (context.churn) {
        w.tick(context.now);
    }

    // Without filters the ranking is the list; with them, the matching part of it.
    std::span<const ranked_stream> list = w.ranking();
    if (const stream_filter filter(games, languages); filter.filters()) {
        filtered_list& filtered = *context.last_filtered;
        if (filtered.scope != scope || filtered.tick != w.tick_count() ||
            filtered.streams.empty()) {
            filtered.scope = scope;
            filtered.tick = w.tick_count();
            filtered.streams.clear();
            for (const auto& r : list) {
                if (filter.passes(w, w.stream(r.slot))) {
                    filtered.streams.push_back(r);
                }
            }
        }
        list = filtered.streams;
    }
    const std::uint64_t total = list.size();

    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    std::optional<page_cursor> next;
    if (before) {
        end = std::min(from->start, total);
        begin = end > *first ? end - *first : 0;
        if (begin > 0) {
            next = page_cursor{begin, end, scope};
        }
    } else {
        begin = std::min(from ? from->next : 0, total);
        end = std::min(begin + *first, total);
        if (end < total) {
            next = page_cursor{begin, end, scope};
        }
    }
    if (effects.empty_page_with_cursor) {
        // Resume where this page should have started, so a client that follows it loses
        // nothing (and the cursor text differs from the one it sent).
        end = begin;
        next = page_cursor{begin, begin, scope};
    }
    if (effects.cursor_loop) {
        next = page_cursor{0, 0, scope};
    }

    boost::json::monotonic_resource arena(page_arena_bytes);
    const boost::json::storage_ptr sp(&arena);
    boost::json::array data(sp);
    data.reserve(end - begin);
    for (std::uint64_t i = begin; i < end; ++i) {
        data.push_back(stream_json(w, w.stream(list[i].slot), sp));
    }
    boost::json::object body({{"data", std::move(data)}}, sp);
    if (!effects.omit_pagination) {
        boost::json::object pagination(sp);
        if (next) {
            pagination["cursor"] = encode_cursor(*next);
        }
        body["pagination"] = std::move(pagination);
    }
    return json_reply(200, body);
}

reply get_users(const world& w, const query& q) {
    const auto ids = q.all("id");
    const auto logins = q.all("login");
    if (ids.empty() && logins.empty()) {
        return helix_error(400, "Missing required parameter \"id\" or \"login\"");
    }
    if (ids.size() + logins.size() > max_values) {
        return helix_error(400, "The parameters \"id\" and \"login\" may be given at most 100 "
                                "times together");
    }
    boost::json::array data;
    std::unordered_set<const channel*> seen;
    const auto add = [&](const channel* c) {
        if (c == nullptr || !seen.insert(c).second) {
            return;
        }
        const channel_profile p = w.profile(w.channel_index(*c));
        data.push_back(boost::json::object{
            {"id", c->user_id},
            {"login", c->login},
            {"display_name", c->display_name},
            {"type", ""},
            {"broadcaster_type", p.broadcaster_type},
            {"description", p.description},
            {"profile_image_url", p.profile_image_url},
            {"offline_image_url", p.offline_image_url},
            {"view_count", 0},
            {"created_at", p.created_at},
        });
    };
    for (auto id : ids) {
        add(w.find_channel_by_id(id));
    }
    for (auto login : logins) {
        add(w.find_channel_by_login(login));
    }
    return json_reply(200, boost::json::object{{"data", std::move(data)}});
}

reply get_games(const world& w, const query& q) {
    const auto ids = q.all("id");
    const auto names = q.all("name");
    const auto igdb_ids = q.all("igdb_id");
    if (ids.empty() && names.empty() && igdb_ids.empty()) {
        return helix_error(400, "Missing required parameter \"id\", \"name\" or \"igdb_id\"");
    }
    if (ids.size() + names.size() + igdb_ids.size() > max_values) {
        return helix_error(400, "The parameters \"id\", \"name\" and \"igdb_id\" may be given at "
                                "most 100 times together");
    }
    boost::json::array data;
    std::unordered_set<const game*> seen;
    const auto add = [&](const game* g) {
        if (g != nullptr && seen.insert(g).second) {
            data.push_back(boost::json::object{
                {"id", g->id},
                {"name", g->name},
                {"box_art_url",
                 "https://static-cdn.jtvnw.net/ttv-boxart/" + g->id + "-{width}x{height}.jpg"},
                {"igdb_id", g->igdb_id},
            });
        }
    };
    for (auto id : ids) {
        add(w.find_game_by_id(id));
    }
    for (auto name : names) {
        add(w.find_game_by_name(name));
    }
    if (!igdb_ids.empty()) {
        // Rarely used, so a scan rather than another index.
        for (const game& g : w.games()) {
            if (!g.igdb_id.empty() &&
                std::find(igdb_ids.begin(), igdb_ids.end(), g.igdb_id) != igdb_ids.end()) {
                add(&g);
            }
        }
    }
    return json_reply(200, boost::json::object{{"data", std::move(data)}});
}

reply get_channel_followers(const world& w, const query& q, bool forbidden, bool omit_pagination) {
    if (forbidden) {
        return helix_error(401, "Missing User OAUTH Token");
    }
    const auto broadcaster = q.first("broadcaster_id");
    if (!broadcaster || broadcaster->empty()) {
        return helix_error(400, "Missing required parameter \"broadcaster_id\"");
    }
    if (!page_size(q, 20)) {
        return bad_first();
    }
    const channel* c = w.find_channel_by_id(*broadcaster);
    const std::int64_t total = c != nullptr ? w.profile(w.channel_index(*c)).followers : 0;
    boost::json::object body{{"total", total}, {"data", boost::json::array{}}};
    if (!omit_pagination) {
        body["pagination"] = boost::json::object{};
    }
    return json_reply(200, body);
}

std::string world_snapshot(const world& w) {
    // Serialised stream by stream: a DOM of 100,000 objects would cost far more memory.
    std::string out = "{\"tick\":" + std::to_string(w.tick_count()) + ",\"live\":[";
    bool first = true;
    for (const auto& r : w.ranking()) {
        const live_stream& s = w.stream(r.slot);
        const channel& c = w.channel_at(s.channel);
        const game* g = w.game_of(c);
        out += first ? "" : ",";
        first = false;
        out += boost::json::serialize(boost::json::object{
            {"id", s.id_text},
            {"user_id", c.user_id},
            {"user_login", c.login},
            {"user_name", c.display_name},
            {"game_id", g != nullptr ? std::string_view(g->id) : ""},
            {"title", c.title},
            {"viewer_count", s.viewer_count},
            {"started_at", s.started_at},
            {"since_tick", s.since_tick},
            {"language", world::languages()[c.language]},
        });
    }
    return out + "]}";
}

} // namespace streamscope::platform_mock::twitch

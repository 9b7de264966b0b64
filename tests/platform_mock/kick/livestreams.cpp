#include "tests/platform_mock/kick/livestreams.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <span>
#include <unordered_set>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include "tests/platform_mock/kick/cursor.hpp"
#include "tests/platform_mock/kick/errors.hpp"

namespace streamscope::platform_mock::kick {
namespace {

constexpr std::uint64_t default_limit = 100;
constexpr std::uint64_t max_limit = 1000;
constexpr std::size_t max_filter_values = 25;
constexpr std::size_t max_user_ids = 100;

// A page of 1,000 items holds some 30,000 JSON nodes: one arena instead of a malloc each.
constexpr std::size_t page_arena_bytes = 512 * 1024;

template <typename T>
std::optional<T> parse_integer(std::string_view text) {
    T n{};
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return n;
}

std::uint64_t fnv1a(std::uint64_t hash, std::string_view text) {
    for (char c : text) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    }
    return hash;
}

struct filter {
    std::vector<std::int64_t> categories; // sorted, unique
    std::vector<std::string_view> languages;

    bool empty() const { return categories.empty() && languages.empty(); }

    bool passes(const world& w, const live_stream& s) const {
        const channel& c = w.channel_at(s.channel);
        if (!categories.empty()) {
            const game* g = w.game_of(c);
            const auto id = g != nullptr ? parse_integer<std::int64_t>(g->id) : std::nullopt;
            if (!id || !std::binary_search(categories.begin(), categories.end(), *id)) {
                return false;
            }
        }
        return languages.empty() ||
               std::binary_search(languages.begin(), languages.end(), language_code(c.language));
    }

    // The filter a cursor belongs to, folded with the world instance: a cursor from another
    // filter or another mock is an invalid cursor.
    std::uint64_t scope(std::uint64_t instance) const {
        std::uint64_t hash = 0xcbf29ce484222325ULL ^ instance;
        for (auto id : categories) {
            hash = fnv1a(fnv1a(hash, "c"), std::to_string(id));
        }
        for (auto l : languages) {
            hash = fnv1a(fnv1a(hash, "l"), l);
        }
        return rng::mix(hash);
    }
};

// The filter from the query, or the 400 that says what is wrong with it.
std::optional<reply> read_filter(const query& q, filter& out) {
    const auto categories = q.all("category_id");
    const auto languages = q.all("language_code");
    if (categories.size() > max_filter_values) {
        return api_error(400, "category_id may be given at most 25 times");
    }
    if (languages.size() > max_filter_values) {
        return api_error(400, "language_code may be given at most 25 times");
    }
    for (auto text : categories) {
        const auto id = parse_integer<std::int64_t>(text);
        if (!id || *id < 0) {
            return api_error(400, "category_id must be a non-negative integer");
        }
        out.categories.push_back(*id);
    }
    std::sort(out.categories.begin(), out.categories.end());
    out.categories.erase(std::unique(out.categories.begin(), out.categories.end()),
                         out.categories.end());
    out.languages = languages;
    std::sort(out.languages.begin(), out.languages.end());
    out.languages.erase(std::unique(out.languages.begin(), out.languages.end()),
                        out.languages.end());
    return std::nullopt;
}

// Breaks one record of `data` when a bad_record fault hit this request, and notes which.
void apply_bad_record(boost::json::array& data, const page_context& context,
                      std::string_view path) {
    const auto& how = context.effects->bad_record;
    if (!how || data.empty()) {
        return;
    }
    auto& record = data[context.random->below(data.size())].as_object();
    context.corrupted->push_back({std::string(record["id"].as_string()), *how, std::string(path)});
    corrupt(record, *how);
}

} // namespace

reply list_livestreams(world& w, const query& q, const page_context& context) {
    std::uint64_t limit = default_limit;
    if (const auto text = q.first("limit")) {
        const auto n = parse_integer<std::uint64_t>(*text);
        if (!n || *n < 1 || *n > max_limit) {
            return api_error(400, "limit must be an integer from 1 to 1000");
        }
        limit = *n;
    }
    filter f;
    if (auto bad = read_filter(q, f)) {
        return std::move(*bad);
    }
    const std::uint64_t scope = f.scope(context.instance);
    std::optional<listing_cursor> from;
    if (const auto text = q.first("cursor"); text && !text->empty()) {
        from = decode_cursor(*text);
        if (!from || from->scope != scope) {
            return api_error(400, "invalid cursor");
        }
    }
    const fault_effects& effects = *context.effects;
    if (effects.invalid_cursor) {
        return api_error(400, "invalid cursor");
    }

    if (context.churn) {
        w.tick(context.now);
    }
    std::vector<ranked_stream> filtered;
    std::span<const ranked_stream> list = w.ranking();
    if (!f.empty()) {
        for (const auto& r : list) {
            if (f.passes(w, w.stream(r.slot))) {
                filtered.push_back(r);
            }
        }
        list = filtered;
    }
    const std::uint64_t total = list.size();

    std::uint64_t begin = 0;
    if (from && from->type == listing_cursor::kind::offset) {
        begin = std::min(from->offset, total);
    } else if (from) {
        const ranked_stream last{from->key, from->stream_id, 0};
        begin = static_cast<std::uint64_t>(
            std::upper_bound(list.begin(), list.end(), last, ranks_before) - list.begin());
    }
    std::uint64_t end = std::min(begin + limit, total);
    std::optional<listing_cursor> next;
    if (end < total) {
        if (context.settings.cursor == cursor_mode::offset) {
            next = listing_cursor{listing_cursor::kind::offset, end, 0, 0, scope};
        } else {
            const ranked_stream& last = list[end - 1];
            next = listing_cursor{listing_cursor::kind::keyset, 0, last.key, last.stream_id, scope};
        }
    }
    if (effects.empty_page_with_cursor) {
        // Resume where this page should have started, so that a client that follows it loses
        // nothing.
        end = begin;
        next = from.value_or(listing_cursor{listing_cursor::kind::offset, 0, 0, 0, scope});
        if (next->type == listing_cursor::kind::offset) {
            next->offset = begin;
        }
    }
    if (effects.cursor_loop) {
        next = listing_cursor{listing_cursor::kind::offset, 0, 0, 0, scope};
    }

    boost::json::monotonic_resource arena(page_arena_bytes);
    const boost::json::storage_ptr sp(&arena);
    boost::json::array data(sp);
    data.reserve(end - begin);
    for (std::uint64_t i = begin; i < end; ++i) {
        data.push_back(
            livestream_json(w, w.stream(list[i].slot), context.settings.no_category, sp));
    }
    apply_bad_record(data, context, listing_path);
    boost::json::object body({{"data", std::move(data)}, {"message", "OK"}}, sp);
    if (!effects.omit_pagination) {
        boost::json::object pagination(sp);
        const auto last_page = context.settings.last_page;
        if (next) {
            pagination["next_cursor"] = encode_cursor(*next);
        } else if (last_page == last_page_cursor::empty ||
                   (last_page == last_page_cursor::random && context.random->chance(0.5))) {
            pagination["next_cursor"] = "";
        }
        body["pagination"] = std::move(pagination);
    }
    return json_reply(200, body);
}

reply users_livestreams(const world& w, const query& q, const page_context& context) {
    const auto ids = q.all("user_id");
    if (ids.empty()) {
        return api_error(400, "user_id is required");
    }
    if (ids.size() > max_user_ids) {
        return api_error(400, "user_id may be given at most 100 times");
    }
    boost::json::monotonic_resource arena(page_arena_bytes);
    const boost::json::storage_ptr sp(&arena);
    boost::json::array data(sp);
    std::unordered_set<const channel*> seen;
    for (auto text : ids) {
        const auto id = parse_integer<std::int64_t>(text);
        if (!id || *id < 0) {
            return api_error(400, "user_id must be an integer");
        }
        const channel* c = w.find_channel_by_id(std::to_string(*id));
        if (c != nullptr && c->live_slot != channel::offline && seen.insert(c).second) {
            data.push_back(
                livestream_json(w, w.stream(c->live_slot), context.settings.no_category, sp));
        }
    }
    apply_bad_record(data, context, lookup_path);
    return json_reply(200, boost::json::object({{"data", std::move(data)}, {"message", "OK"}}, sp));
}

reply livestreams_stats(const world& w) {
    return json_reply(200, boost::json::object{
                               {"data", boost::json::object{{"total_count", w.ranking().size()}}},
                               {"message", "OK"},
                           });
}

std::string world_snapshot(const world& w) {
    // Stream by stream: a DOM of every stream would cost far more memory.
    std::string out = "{\"tick\":" + std::to_string(w.tick_count()) + ",\"live\":[";
    bool first = true;
    for (const auto& r : w.ranking()) {
        const live_stream& s = w.stream(r.slot);
        const channel& c = w.channel_at(s.channel);
        const game* g = w.game_of(c);
        boost::json::value category = nullptr;
        if (g != nullptr) {
            category = parse_integer<std::int64_t>(g->id).value_or(0);
        }
        out += first ? "" : ",";
        first = false;
        out += boost::json::serialize(boost::json::object{
            {"id", s.id_text},
            {"broadcaster_user_id", broadcaster_id(c)},
            {"slug", slug(c)},
            {"username", c.display_name},
            {"category_id", std::move(category)},
            {"language_code", language_code(c.language)},
            {"title", c.title},
            {"viewer_count", s.viewer_count},
            {"started_at", s.started_at},
            {"since_tick", s.since_tick},
        });
    }
    return out + "]}";
}

} // namespace streamscope::platform_mock::kick

#include "collector/webhooks/event_text.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include <boost/json/array.hpp>

#include "collector/webhooks/readable.hpp"
#include "common/text/ascii_case.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::webhooks {
namespace json = boost::json;

namespace {

constexpr std::size_t longest_watch_url = 2000;
constexpr std::size_t longest_word = 40; // a platform's or a type's name

const json::object* object_at(const json::object* o, std::string_view key) {
    if (o == nullptr) {
        return nullptr;
    }
    const auto* v = o->if_contains(key);
    return v != nullptr ? v->if_object() : nullptr;
}

const json::array* array_at(const json::object* o, std::string_view key) {
    if (o == nullptr) {
        return nullptr;
    }
    const auto* v = o->if_contains(key);
    return v != nullptr ? v->if_array() : nullptr;
}

bool holds(const json::array& a, std::string_view text) {
    for (const auto& v : a) {
        if (v.is_string() && v.get_string() == text) {
            return true;
        }
    }
    return false;
}

std::string text_at(const json::object* o, std::string_view key, std::size_t limit) {
    if (o == nullptr) {
        return "";
    }
    const auto* v = o->if_contains(key);
    if (v == nullptr || !v->is_string()) {
        return "";
    }
    return shorten(one_line(v->get_string()), limit);
}

std::optional<std::int64_t> integer_at(const json::object* o, std::string_view key) {
    if (o == nullptr) {
        return std::nullopt;
    }
    const auto* v = o->if_contains(key);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (v->is_int64()) {
        return v->get_int64();
    }
    if (v->is_uint64() &&
        v->get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return static_cast<std::int64_t>(v->get_uint64());
    }
    if (v->is_double() && std::isfinite(v->get_double()) && std::fabs(v->get_double()) < 1e15) {
        return static_cast<std::int64_t>(std::llround(v->get_double()));
    }
    return std::nullopt;
}

std::optional<double> real_at(const json::object* o, std::string_view key) {
    if (o == nullptr) {
        return std::nullopt;
    }
    const auto* v = o->if_contains(key);
    if (v == nullptr || !v->is_number()) {
        return std::nullopt;
    }
    return v->to_number<double>();
}

std::string platform_words(std::string_view name) {
    if (name == "twitch") {
        return "Twitch";
    }
    if (name == "kick") {
        return "Kick";
    }
    if (name == "youtube") {
        return "YouTube";
    }
    return shorten(one_line(name), longest_word);
}

// An http or https URL of printable ASCII (no blanks, no controls), or "": a link that a
// message can carry as it is.
std::string watch_url(const json::object* o) {
    const auto* v = o != nullptr ? o->if_contains("stream_url") : nullptr;
    if (v == nullptr || !v->is_string()) {
        return "";
    }
    const std::string_view url = v->get_string();
    const bool web = text::starts_with_ignoring_case(url, "https://") ||
                     text::starts_with_ignoring_case(url, "http://");
    if (!web || url.size() > longest_watch_url) {
        return "";
    }
    for (const char c : url) {
        if (c <= ' ' || c >= 0x7F) {
            return "";
        }
    }
    return std::string(url);
}

std::string viewers_words(std::int64_t n) {
    return count_for_people(n) + (n == 1 ? " viewer" : " viewers");
}

std::string rank_words(std::int64_t rank) {
    // Appends only: GCC 12 warns about "#" + std::string with a false -Wrestrict (PR 105329).
    std::string out = "#";
    out += with_separators(rank);
    return out;
}

// A stream item of the API, as the event carries it.
struct stream_view {
    std::string name;
    std::string title;
    std::string game_id;
    std::string game;
    std::string url;
    std::string started_at;
    std::optional<std::int64_t> viewers;
};

stream_view read_stream(const json::object* s) {
    stream_view out;
    out.name = text_at(s, "display_name", longest_name);
    if (out.name.empty()) {
        out.name = text_at(s, "username", longest_name);
    }
    if (out.name.empty()) {
        out.name = text_at(s, "channel_id", longest_name);
    }
    if (out.name.empty()) {
        out.name = "A channel";
    }
    out.title = text_at(s, "title", longest_title);
    out.game_id = text_at(s, "game_id", longest_name);
    out.game = text_at(s, "game_name", longest_name);
    out.url = watch_url(s);
    out.started_at = text_at(s, "started_at", longest_word);
    out.viewers = integer_at(s, "viewer_count");
    return out;
}

// "<title> (<game>)", "<title>", "<game>" or "".
std::string about(const stream_view& s) {
    if (s.title.empty()) {
        return s.game;
    }
    return s.game.empty() ? s.title : s.title + " (" + s.game + ")";
}

std::string colon(const std::string& text) {
    return text.empty() ? "" : ": " + text;
}

std::string viewers_tail(const stream_view& s) {
    return s.viewers ? ", " + viewers_words(*s.viewers) : "";
}

void add_fact(event_text& out, std::string name, std::string value) {
    if (!value.empty()) {
        out.facts.push_back({std::move(name), std::move(value)});
    }
}

void add_stream_facts(event_text& out, const stream_view& s) {
    add_fact(out, "Title", s.title);
    add_fact(out, "Game", s.game);
    // A null count is one the platform hides (YouTube): said so, not left out.
    add_fact(out, "Viewers", s.viewers ? with_separators(*s.viewers) : "hidden");
    add_fact(out, "Started", s.started_at.empty() ? "" : time_for_people(s.started_at));
}

std::optional<std::chrono::seconds> between(std::string_view from, std::string_view to) {
    const auto start = time::parse_rfc3339(from);
    const auto end = time::parse_rfc3339(to);
    if (!start || !end) {
        return std::nullopt;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(*end - *start);
}

// "the top 10 of Just Chatting on Twitch", "the top 100 on Twitch".
std::string list_words(const json::object* list, const std::string& on) {
    const auto size = integer_at(list, "size");
    std::string words = size ? "the top " + with_separators(*size) : std::string("the top list");
    if (text_at(list, "scope", longest_word) == "game") {
        const std::string game = text_at(list, "game_name", longest_name);
        if (!game.empty()) {
            words += " of " + game;
        }
    }
    return words + on;
}

void describe_stream_event(event_text& out, std::string_view type, const json::object* data,
                           const std::string& on) {
    const stream_view s = read_stream(object_at(data, "stream"));
    out.subject = s.name;
    out.url = s.url;
    if (type == "stream.live") {
        out.predicate = " is live" + on;
        out.detail = colon(about(s)) + viewers_tail(s);
        add_stream_facts(out, s);
    } else if (type == "stream.ended") {
        const std::string ended_at = text_at(data, "ended_at", longest_word);
        const auto lasted = between(s.started_at, ended_at);
        out.predicate = " ended the stream" + on;
        out.detail =
            (lasted ? " after " + duration_for_people(*lasted) : std::string()) + colon(about(s));
        add_fact(out, "Title", s.title);
        add_fact(out, "Game", s.game);
        add_fact(out, "Duration", lasted ? duration_for_people(*lasted) : "");
        add_fact(out, "Ended", ended_at.empty() ? "" : time_for_people(ended_at));
    } else if (type == "stream.changed") {
        const json::object* previous = object_at(data, "previous");
        const std::string old_title = text_at(previous, "title", longest_title);
        const std::string old_game_id = text_at(previous, "game_id", longest_name);
        const std::string old_game = text_at(previous, "game_name", longest_name);
        // What the collector says changed ("changed": ["title", "game"]); else what differs,
        // a game by its id (a renamed game is the same game).
        bool title_changed = previous != nullptr && old_title != s.title;
        bool game_changed = previous != nullptr &&
                            (old_game_id != s.game_id ||
                             (old_game_id.empty() && s.game_id.empty() && old_game != s.game));
        if (const json::array* what = array_at(data, "changed")) {
            title_changed = holds(*what, "title");
            game_changed = holds(*what, "game");
        }
        if (title_changed && game_changed) {
            out.predicate = " changed the title and game" + on;
            out.detail = colon(about(s));
        } else if (game_changed) {
            out.predicate =
                " switched to " + (s.game.empty() ? std::string("no game") : s.game) + on;
            out.detail = old_game.empty() ? "" : " (from " + old_game + ")";
        } else if (title_changed) {
            out.predicate = " changed the title" + on;
            out.detail = colon(s.title);
        } else {
            out.predicate = " changed the stream" + on;
            out.detail = colon(about(s));
        }
        add_stream_facts(out, s);
        if (title_changed) {
            add_fact(out, "Previous title", old_title);
        }
        if (game_changed) {
            add_fact(out, "Previous game", old_game.empty() ? "none" : old_game);
        }
    } else if (type == "top.entered") {
        const auto rank = integer_at(data, "rank");
        out.predicate = " entered " + list_words(object_at(data, "list"), on) +
                        (rank ? " at " + rank_words(*rank) : "");
        out.detail = colon(about(s)) + viewers_tail(s);
        add_fact(out, "Rank", rank ? rank_words(*rank) : "");
        add_stream_facts(out, s);
    } else if (type == "top.left") {
        const auto previous_rank = integer_at(data, "previous_rank");
        out.predicate = " left " + list_words(object_at(data, "list"), on);
        out.detail = previous_rank ? " (was " + rank_words(*previous_rank) + ")" : "";
        add_fact(out, "Previous rank", previous_rank ? rank_words(*previous_rank) : "");
        add_stream_facts(out, s);
    } else { // viewers.crossed
        const auto threshold = integer_at(data, "threshold");
        const auto before = integer_at(data, "previous_viewer_count");
        const bool down = threshold && s.viewers && *s.viewers < *threshold;
        const std::string mark = threshold ? viewers_words(*threshold) : "a viewer threshold";
        out.predicate = (down ? " fell below " : " passed ") + mark + on;
        out.detail = colon(about(s));
        add_stream_facts(out, s);
        add_fact(out, "Previous viewers", before ? with_separators(*before) : "");
        add_fact(out, "Threshold", threshold ? with_separators(*threshold) : "");
    }
}

void describe_trending(event_text& out, const json::object* data, const std::string& on) {
    const json::object* game = object_at(data, "game");
    out.subject = text_at(game, "game_name", longest_name);
    if (out.subject.empty()) {
        out.subject = "A game";
    }
    out.predicate = " is trending" + on;
    const auto viewers = integer_at(data, "viewers");
    const auto previous = integer_at(data, "previous_viewers");
    const auto growth = real_at(data, "growth");
    const std::string change = growth ? percent_change(*growth) : "";
    if (viewers) {
        out.detail = ": " + viewers_words(*viewers) + (change.empty() ? "" : ", " + change) +
                     (previous ? " from " + with_separators(*previous) : "");
    }
    add_fact(out, "Viewers", viewers ? with_separators(*viewers) : "");
    add_fact(out, "Previous viewers", previous ? with_separators(*previous) : "");
    add_fact(out, "Growth", change);
}

} // namespace

event_text describe(const json::object& event) {
    const json::object* data = object_at(&event, "data");
    const std::string type = text_at(&event, "type", longest_word);
    std::string platform = text_at(&event, "platform", longest_word);
    if (platform.empty()) {
        platform = text_at(object_at(data, "stream"), "platform", longest_word);
    }
    const std::string on = platform.empty() ? "" : " on " + platform_words(platform);

    event_text out;
    out.platform = platform.empty() ? "" : platform_words(platform);
    if (type == "stream.live" || type == "stream.ended" || type == "stream.changed" ||
        type == "top.entered" || type == "top.left" || type == "viewers.crossed") {
        describe_stream_event(out, type, data, on);
    } else if (type == "game.trending") {
        describe_trending(out, data, on);
    } else {
        out.subject = platform.empty() ? "Streamscope" : platform_words(platform);
        out.predicate = " event " + (type.empty() ? std::string("(no type)") : type);
    }
    return out;
}

} // namespace streamscope::webhooks

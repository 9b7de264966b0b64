#include "tests/platform_mock/kick/livestream_json.hpp"

#include <charconv>
#include <cstdio>
#include <iterator>

#include <boost/json/array.hpp>

#include "tests/platform_mock/nasty_text.hpp"

namespace streamscope::platform_mock::kick {
namespace {

// In the order of world::languages(), whose "other" Kick has no code for.
constexpr std::string_view language_codes[] = {"en", "es", "ja", "pt", "ru", "de", "ko",
                                               "fr", "ar", "it", "pl", "tr", "zh", "th"};

std::int64_t to_integer(std::string_view decimal) {
    std::int64_t n = 0;
    std::from_chars(decimal.data(), decimal.data() + decimal.size(), n);
    return n;
}

std::string hex(std::uint64_t value) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
    return buf;
}

// Per-channel and per-broadcast details derived from the seed, so that they are the same on
// every page without the world holding them.
rng channel_rng(const world& w, std::uint32_t channel_index) {
    return rng(rng::mix(w.seed() ^ rng::mix(0x6b1c4a0000000000ULL + channel_index)));
}

rng stream_rng(const world& w, std::uint64_t stream_id) {
    return rng(rng::mix(w.seed() ^ rng::mix(0x6b15e40000000000ULL ^ stream_id)));
}

boost::json::value category_json(const game* g, no_category_shape no_category,
                                 const boost::json::storage_ptr& sp) {
    if (g == nullptr) {
        if (no_category == no_category_shape::null) {
            return nullptr;
        }
        return boost::json::object({{"id", 0}, {"name", ""}, {"thumbnail", ""}}, sp);
    }
    const std::int64_t id = to_integer(g->id);
    return boost::json::object(
        {
            {"id", id},
            {"name", g->name},
            {"thumbnail", "https://files.kick.com/images/subcategories/" + std::to_string(id) +
                              "/banner/" + hex(rng::mix(static_cast<std::uint64_t>(id))) + ".webp"},
        },
        sp);
}

} // namespace

std::string_view language_code(std::uint8_t language) {
    return language < std::size(language_codes) ? language_codes[language] : "en";
}

std::string slug(const channel& c) {
    std::string out = c.login;
    for (char& ch : out) {
        ch = ch == '_' ? '-' : ch;
    }
    return out;
}

std::int64_t broadcaster_id(const channel& c) {
    return to_integer(c.user_id);
}

boost::json::object livestream_json(const world& w, const live_stream& s,
                                    no_category_shape no_category,
                                    const boost::json::storage_ptr& sp) {
    const channel& c = w.channel_at(s.channel);
    rng per_channel = channel_rng(w, s.channel);
    rng per_stream = stream_rng(w, s.id);
    const std::string channel_slug = slug(c);
    const std::int64_t user = broadcaster_id(c);

    const bool mature = per_channel.chance(0.12);
    std::string picture;
    if (!per_channel.chance(0.05)) {
        picture = "https://files.kick.com/images/user/" + std::to_string(user) +
                  "/profile_image/conversion/" + hex(per_channel.next()) + "-fullsize.webp";
    }
    std::string thumbnail;
    if (!per_stream.chance(0.03)) {
        thumbnail = "https://images.kick.com/video_thumbnails/" + channel_slug + "/" +
                    hex(per_stream.next()) + "/720.webp";
    }
    boost::json::array tags(sp);
    for (auto t : c.tags) {
        tags.emplace_back(text::tag_pool()[t]);
    }
    // Kick's tags are free text: some are what collectors get wrong.
    if (per_stream.chance(0.15)) {
        tags.emplace_back(text::nasty_fragment(per_stream));
    }
    return boost::json::object(
        {
            {"id", s.id_text},
            {"broadcaster_user", boost::json::object({{"id", user},
                                                      {"username", c.display_name},
                                                      {"profile_picture", std::move(picture)}},
                                                     sp)},
            {"channel", boost::json::object({{"slug", channel_slug}}, sp)},
            {"category", category_json(w.game_of(c), no_category, sp)},
            {"title", c.title},
            {"language_code", language_code(c.language)},
            {"started_at", s.started_at},
            {"tags", std::move(tags)},
            {"thumbnail", std::move(thumbnail)},
            {"viewer_count", s.viewer_count},
            {"has_mature_content", mature},
        },
        sp);
}

void corrupt(boost::json::object& record, record_corruption how) {
    switch (how) {
    case record_corruption::null_viewer_count:
        record["viewer_count"] = nullptr;
        break;
    case record_corruption::numeric_tag:
        if (auto* tags = record["tags"].if_array()) {
            tags->insert(tags->begin(), 2024);
        }
        break;
    case record_corruption::viewer_count_overflow:
        record["viewer_count"] = std::int64_t{3'000'000'000} + record["viewer_count"].as_int64();
        break;
    case record_corruption::missing_broadcaster_user:
        record.erase("broadcaster_user");
        break;
    case record_corruption::rotate:
        break;
    }
}

} // namespace streamscope::platform_mock::kick

#include "tests/platform_mock/youtube/feed.hpp"

#include <cstdio>

#include "tests/platform_mock/nasty_text.hpp"

namespace streamscope::platform_mock::youtube {
namespace {

constexpr std::uint64_t numeric_salt = 0x4e554d;

// 2026-03-08T10:00:00+00:00, as the feeds write time.
std::string feed_time(time::timestamp t) {
    std::string out = time::format_rfc3339(std::chrono::floor<std::chrono::seconds>(t));
    out.pop_back(); // the Z
    out += "+00:00";
    return out;
}

// The length of the UTF-8 sequence that starts with `lead`.
std::size_t sequence_length(unsigned char lead) {
    return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

char32_t decode(std::string_view s) {
    const auto byte = [&](std::size_t i) { return static_cast<char32_t>(s[i] & 0x3F); };
    const auto lead = static_cast<unsigned char>(s[0]);
    switch (s.size()) {
    case 1:
        return lead;
    case 2:
        return (static_cast<char32_t>(lead & 0x1F) << 6) | byte(1);
    case 3:
        return (static_cast<char32_t>(lead & 0x0F) << 12) | (byte(1) << 6) | byte(2);
    default:
        return (static_cast<char32_t>(lead & 0x07) << 18) | (byte(1) << 12) | (byte(2) << 6) |
               byte(3);
    }
}

void element(std::string& out, std::string_view indent, std::string_view name,
             std::string_view escaped) {
    out.append(indent).append("<").append(name).append(">").append(escaped);
    out.append("</").append(name).append(">\n");
}

} // namespace

std::string xml_escape(std::string_view text, bool numeric_references) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t n = std::min(sequence_length(lead), text.size() - i);
        const std::string_view sequence = text.substr(i, n);
        i += n;
        if (n > 1) {
            const char32_t cp = decode(sequence);
            if (cp == 0xFFFE || cp == 0xFFFF) {
                continue;
            }
            if (numeric_references) {
                char buf[16];
                const int len = std::snprintf(buf, sizeof buf, "&#x%X;", static_cast<unsigned>(cp));
                out.append(buf, static_cast<std::size_t>(len));
            } else {
                out.append(sequence);
            }
            continue;
        }
        switch (lead) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        case '\r':
            out += "&#13;";
            break;
        default:
            if (lead >= 0x20 || lead == '\t' || lead == '\n') {
                out += static_cast<char>(lead);
            }
        }
    }
    return out;
}

std::string channel_feed(const world& w, const channel& c) {
    const std::string channel_url = "https://www.youtube.com/channel/" + c.id;
    const std::string channel_title = xml_escape(c.title);
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<feed xmlns:yt=\"http://www.youtube.com/xml/schemas/2015\" "
                      "xmlns:media=\"http://search.yahoo.com/mrss/\" "
                      "xmlns=\"http://www.w3.org/2005/Atom\">\n";
    out.append(" <link rel=\"self\" href=\"http://www.youtube.com/feeds/videos.xml?channel_id=")
        .append(c.id)
        .append("\"/>\n");
    // Since 2024 YouTube has written the feed's own channel id without its "UC" in many feeds
    // (the entries keep it whole); half the channels do so here, so collectors meet both.
    const std::string_view feed_channel_id = rng::mix(w.seed() ^ w.channel_index(c)) % 2 == 0
                                                 ? std::string_view(c.id)
                                                 : std::string_view(c.id).substr(2);
    element(out, " ", "id", "yt:channel:" + std::string(feed_channel_id));
    element(out, " ", "yt:channelId", feed_channel_id);
    element(out, " ", "title", channel_title);
    out.append(" <link rel=\"alternate\" href=\"").append(channel_url).append("\"/>\n");
    out.append(" <author>\n");
    element(out, "  ", "name", channel_title);
    element(out, "  ", "uri", channel_url);
    out.append(" </author>\n");
    element(out, " ", "published", feed_time(c.published));

    std::size_t written = 0;
    for (auto it = c.uploads.rbegin(); it != c.uploads.rend() && written < feed_entries; ++it) {
        const video& v = w.video_at(*it);
        if (v.removed) {
            continue;
        }
        ++written;
        // About one entry in ten spells its non-ASCII characters as numeric references.
        rng numeric = w.video_rng(v, numeric_salt);
        const bool references = numeric.chance(0.1);
        const std::string title = xml_escape(v.title, references);
        const std::string description = xml_escape(w.description(v), references);
        const time::timestamp updated = v.state == broadcast_state::ended  ? v.actual_end
                                        : v.state == broadcast_state::live ? v.actual_start
                                                                           : v.published;
        out.append(" <entry>\n");
        element(out, "  ", "id", "yt:video:" + v.id);
        element(out, "  ", "yt:videoId", v.id);
        element(out, "  ", "yt:channelId", c.id);
        element(out, "  ", "title", title);
        out.append("  <link rel=\"alternate\" href=\"https://www.youtube.com/watch?v=")
            .append(v.id)
            .append("\"/>\n");
        out.append("  <author>\n");
        element(out, "   ", "name", channel_title);
        element(out, "   ", "uri", channel_url);
        out.append("  </author>\n");
        element(out, "  ", "published", feed_time(v.published));
        element(out, "  ", "updated", feed_time(updated));
        out.append("  <media:group>\n");
        element(out, "   ", "media:title", title);
        out.append("   <media:content url=\"https://www.youtube.com/v/")
            .append(v.id)
            .append("?version=3\" type=\"application/x-shockwave-flash\" width=\"640\" "
                    "height=\"390\"/>\n");
        out.append("   <media:thumbnail url=\"https://i1.ytimg.com/vi/")
            .append(v.id)
            .append("/hqdefault.jpg\" width=\"480\" height=\"360\"/>\n");
        element(out, "   ", "media:description", description);
        const std::uint64_t views =
            v.state == broadcast_state::upcoming
                ? 0
                : rng::mix(static_cast<std::uint64_t>(w.video_index(v)) ^ w.seed()) % 100'000;
        out.append("   <media:community>\n");
        out.append("    <media:starRating count=\"")
            .append(std::to_string(views / 20))
            .append("\" average=\"5.00\" min=\"1\" max=\"5\"/>\n");
        out.append("    <media:statistics views=\"").append(std::to_string(views)).append("\"/>\n");
        out.append("   </media:community>\n");
        out.append("  </media:group>\n");
        out.append(" </entry>\n");
    }
    out.append("</feed>\n");
    return out;
}

} // namespace streamscope::platform_mock::youtube

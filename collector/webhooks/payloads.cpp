#include "collector/webhooks/payloads.hpp"

#include <boost/json/array.hpp>

#include "collector/webhooks/event_text.hpp"
#include "collector/webhooks/readable.hpp"
#include "common/json/text.hpp"
#include "common/text/utf8.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::webhooks {
namespace json = boost::json;

namespace {

constexpr std::string_view json_type = "application/json";
constexpr std::string_view middle_dot = " \xC2\xB7 "; // " · "

// Slack: a section block's text; a link longer than this is left out.
constexpr std::size_t slack_section_limit = 3000;
constexpr std::size_t slack_link_limit = 1000;
// Discord's limits (characters).
constexpr std::size_t discord_title_limit = 256;
constexpr std::size_t discord_description_limit = 4096;
constexpr std::size_t discord_field_name_limit = 256;
constexpr std::size_t discord_field_value_limit = 1024;
constexpr std::size_t discord_fields_limit = 25;
constexpr std::size_t discord_embed_limit = 6000;
constexpr std::size_t inline_field_limit = 40; // longer values take a row of their own
constexpr std::size_t email_subject_limit = 200;

std::string text_of(const json::object& event, std::string_view key) {
    const auto* v = event.if_contains(key);
    return v != nullptr && v->is_string() ? shorten(one_line(v->get_string()), longest_name) : "";
}

std::string id_of(const json::object& event) {
    const auto* v = event.if_contains("id");
    if (v == nullptr) {
        return "";
    }
    if (v->is_string()) {
        return shorten(one_line(v->get_string()), longest_name);
    }
    return v->is_number() ? streamscope::json::serialize(*v) : "";
}

// "Twitch · stream.live · 2026-12-07 23:00 UTC", what each format says beside the sentence.
std::string context_line(const json::object& event, const event_text& words) {
    std::string out;
    const auto add = [&](const std::string& part) {
        if (!part.empty()) {
            out += (out.empty() ? "" : std::string(middle_dot)) + part;
        }
    };
    add(words.platform);
    add(text_of(event, "type"));
    const std::string at = text_of(event, "timestamp");
    add(at.empty() ? "" : time_for_people(at));
    return out;
}

std::string slack_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// Escaped text cut to `limit` characters with "…", never inside an entity or a code point.
std::string cut_escaped(std::string_view escaped, std::size_t limit) {
    if (text::utf16_length(escaped) <= limit) {
        return std::string(escaped);
    }
    std::string_view kept = text::utf16_prefix(escaped, limit - 1);
    const auto amp = kept.rfind('&');
    if (amp != std::string_view::npos && kept.find(';', amp) == std::string_view::npos) {
        kept = kept.substr(0, amp);
    }
    return std::string(kept) + "\xE2\x80\xA6";
}

std::string slack_link(const std::string& url, const std::string& label) {
    std::string target;
    for (const char c : url) {
        target += c == '|' ? std::string("%7C") : std::string(1, c);
    }
    // Appends only: GCC 12 warns about "<" + std::string with a false -Wrestrict (PR 105329).
    std::string link = "<";
    link += slack_escape(target);
    link += '|';
    link += slack_escape(label);
    link += '>';
    return link.size() <= slack_link_limit ? link : slack_escape(label);
}

json::object mrkdwn(std::string text) {
    return json::object{{"type", "mrkdwn"}, {"text", std::move(text)}};
}

} // namespace

http_payload json_payload(const json::object& event) {
    return {std::string(json_type), streamscope::json::serialize(event)};
}

http_payload slack_payload(const json::object& event) {
    const event_text words = describe(event);
    const std::string subject =
        words.url.empty() ? slack_escape(words.subject) : slack_link(words.url, words.subject);
    const std::string text =
        cut_escaped(subject + slack_escape(words.predicate + words.detail), slack_section_limit);
    json::array blocks;
    blocks.push_back(json::object{{"type", "section"}, {"text", mrkdwn(text)}});
    const std::string context = context_line(event, words);
    if (!context.empty()) {
        json::array elements;
        elements.push_back(mrkdwn(slack_escape(context)));
        blocks.push_back(json::object{{"type", "context"}, {"elements", std::move(elements)}});
    }
    json::object body{{"text", text}, {"blocks", std::move(blocks)}};
    return {std::string(json_type), streamscope::json::serialize(body)};
}

http_payload discord_payload(const json::object& event) {
    const event_text words = describe(event);
    json::object embed;
    const std::string title = shorten(words.headline(), discord_title_limit);
    const std::string description = shorten(words.sentence(), discord_description_limit);
    const std::string footer = "Streamscope" + std::string(middle_dot) + text_of(event, "type");
    std::size_t total =
        text::utf16_length(title) + text::utf16_length(description) + text::utf16_length(footer);
    embed["title"] = title;
    if (!words.url.empty()) {
        embed["url"] = words.url;
    }
    embed["description"] = description;
    json::array fields;
    for (const auto& f : words.facts) {
        const std::string name = shorten(f.name, discord_field_name_limit);
        const std::string value = shorten(f.value, discord_field_value_limit);
        const std::size_t size = text::utf16_length(name) + text::utf16_length(value);
        if (fields.size() == discord_fields_limit || total + size > discord_embed_limit) {
            break;
        }
        total += size;
        fields.push_back(json::object{{"name", name},
                                      {"value", value},
                                      {"inline", text::utf16_length(value) <= inline_field_limit}});
    }
    if (!fields.empty()) {
        embed["fields"] = std::move(fields);
    }
    if (const auto at = time::parse_rfc3339(text_of(event, "timestamp"))) {
        embed["timestamp"] = time::format_rfc3339(*at);
    }
    embed["footer"] = json::object{{"text", footer}};
    json::array embeds;
    embeds.push_back(std::move(embed));
    json::object body{{"embeds", std::move(embeds)},
                      {"allowed_mentions", json::object{{"parse", json::array{}}}}};
    return {std::string(json_type), streamscope::json::serialize(body)};
}

email_content email_payload(const json::object& event) {
    const event_text words = describe(event);
    email_content out;
    out.subject = shorten(words.headline(), email_subject_limit);
    out.text = words.sentence() + "\n";
    if (!words.url.empty()) {
        out.text += "\nWatch: " + words.url + "\n";
    }
    if (!words.facts.empty()) {
        out.text += "\n";
        for (const auto& f : words.facts) {
            out.text += f.name + ": " + f.value + "\n";
        }
    }
    std::string about = context_line(event, words);
    if (const std::string id = id_of(event); !id.empty()) {
        about += std::string(middle_dot) + "event " + id;
    }
    out.text += "\n-- \n" + about + "\n";
    return out;
}

} // namespace streamscope::webhooks

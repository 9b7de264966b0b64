#include "collector/youtube/feed.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <sstream>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include "collector/youtube/ids.hpp"
#include "common/text/ascii_case.hpp"
#include "common/text/utf8.hpp"

namespace streamscope::youtube {
namespace pt = boost::property_tree;

namespace {

constexpr std::string_view atom_namespace = "http://www.w3.org/2005/Atom";
constexpr std::string_view youtube_namespace = "http://www.youtube.com/xml/schemas/2015";
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

std::string_view trim_xml_space(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Throws feed_error "not a feed: " followed by `parts`.
[[noreturn]] void refuse(std::initializer_list<std::string_view> parts) {
    std::string message = "not a feed: ";
    for (const std::string_view part : parts) {
        message += part;
    }
    throw feed_error(message);
}

bool is_html(std::string_view xml) {
    if (xml.starts_with(utf8_bom)) {
        xml.remove_prefix(utf8_bom.size());
    }
    xml = trim_xml_space(xml);
    return text::starts_with_ignoring_case(xml, "<!doctype html") ||
           text::starts_with_ignoring_case(xml, "<html");
}

// Throws feed_error when elements nest deeper than max_feed_depth. The parser recurses once per
// level, so 100,000 nested elements (700 KB) would overflow the stack. Comments, CDATA,
// processing instructions and declarations do not nest; a document cut short is left for the
// parser to refuse.
void check_nesting(std::string_view xml) {
    const auto skip_to = [&xml](std::size_t from, std::string_view end) {
        const std::size_t at = xml.find(end, from);
        return at == std::string_view::npos ? xml.size() : at + end.size();
    };
    int depth = 0;
    for (std::size_t at = xml.find('<'); at < xml.size(); at = xml.find('<', at)) {
        const std::string_view rest = xml.substr(at);
        if (rest.starts_with("<!--")) {
            at = skip_to(at + 4, "-->");
        } else if (rest.starts_with("<![CDATA[")) {
            at = skip_to(at + 9, "]]>");
        } else if (rest.starts_with("<?")) {
            at = skip_to(at + 2, "?>");
        } else if (rest.starts_with("<!")) {
            at = skip_to(at + 2, ">");
        } else if (rest.starts_with("</")) {
            --depth;
            at += 2;
        } else {
            // A start tag, to its '>' outside quoted attribute values; "/>" closes it too.
            std::size_t end = at + 1;
            char quote = 0;
            for (; end < xml.size(); ++end) {
                const char c = xml[end];
                if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '>') {
                    break;
                }
            }
            if (end < xml.size() && xml[end - 1] != '/' && ++depth > max_feed_depth) {
                refuse({"elements nested deeper than ", std::to_string(max_feed_depth)});
            }
            at = end;
        }
    }
}

// The first child element named `key`, or nullptr.
const pt::ptree* child(const pt::ptree& node, const std::string& key) {
    const auto it = node.find(key);
    return it == node.not_found() ? nullptr : &it->second;
}

// The root element: <feed>, in the Atom namespace.
const pt::ptree& feed_element(const pt::ptree& document) {
    const pt::ptree* root = nullptr;
    for (const auto& [key, node] : document) {
        if (key.starts_with("<xml")) { // <xmlcomment>, <xmlattr>
            continue;
        }
        if (root != nullptr) {
            refuse({"more than one root element"});
        }
        if (key != "feed") {
            refuse({"the root element is <", key.substr(0, 40), ">, not <feed>"});
        }
        root = &node;
    }
    if (root == nullptr) {
        refuse({"no root element"});
    }
    const pt::ptree* attributes = child(*root, "<xmlattr>");
    const pt::ptree* xmlns = attributes != nullptr ? child(*attributes, "xmlns") : nullptr;
    if (xmlns == nullptr || xmlns->data() != atom_namespace) {
        refuse({"<feed> is not in the Atom namespace"});
    }
    return *root;
}

// The prefix the feed declares for YouTube's namespace, with its colon: "yt:" unless the
// document says otherwise.
std::string youtube_prefix(const pt::ptree& feed_node) {
    if (const pt::ptree* attributes = child(feed_node, "<xmlattr>")) {
        for (const auto& [name, value] : *attributes) {
            if (name.starts_with("xmlns:") && value.data() == youtube_namespace) {
                return name.substr(6) + ":";
            }
        }
    }
    return "yt:";
}

// The feed's own <yt:channelId>, which YouTube writes without the "UC" of the channel id (its
// entries write it whole); "" when it is empty or neither shape.
std::string feed_channel_id(std::string_view text) {
    if (is_channel_id(text)) {
        return std::string(text);
    }
    std::string whole = "UC";
    whole += text;
    return is_channel_id(whole) ? whole : std::string();
}

std::optional<time::timestamp> time_of(const pt::ptree& node, const std::string& key) {
    const pt::ptree* element = child(node, key);
    return element != nullptr ? time::parse_rfc3339(trim_xml_space(element->data())) : std::nullopt;
}

std::optional<feed_entry> read_entry(const pt::ptree& node, const std::string& yt,
                                     const std::string& feed_channel) {
    feed_entry entry;
    const pt::ptree* video_id = child(node, yt + "videoId");
    if (video_id == nullptr || !is_video_id(trim_xml_space(video_id->data()))) {
        return std::nullopt;
    }
    entry.video_id = std::string(trim_xml_space(video_id->data()));
    if (const pt::ptree* channel_id = child(node, yt + "channelId")) {
        entry.channel_id = std::string(trim_xml_space(channel_id->data()));
    } else {
        entry.channel_id = feed_channel;
    }
    if (!is_channel_id(entry.channel_id)) {
        return std::nullopt;
    }
    if (const pt::ptree* title = child(node, "title")) {
        entry.title = title->data();
    }
    if (!text::is_storable_text(entry.title)) {
        return std::nullopt;
    }
    entry.published = time_of(node, "published");
    entry.updated = time_of(node, "updated");
    return entry;
}

} // namespace

feed parse_feed(std::string_view xml) {
    if (xml.size() > max_feed_bytes) {
        refuse({std::to_string(xml.size()), " bytes, more than ", std::to_string(max_feed_bytes)});
    }
    if (is_html(xml)) {
        refuse({"an HTML page"});
    }
    check_nesting(xml);
    pt::ptree document;
    try {
        std::istringstream in{std::string(xml)};
        pt::read_xml(in, document);
    } catch (const pt::xml_parser_error& e) {
        refuse({"not well-formed XML (line ", std::to_string(e.line()), ": ", e.message(), ")"});
    }
    const pt::ptree& root = feed_element(document);
    const std::string yt = youtube_prefix(root);

    feed out;
    if (const pt::ptree* channel_id = child(root, yt + "channelId")) {
        out.channel_id = feed_channel_id(trim_xml_space(channel_id->data()));
    }
    if (const pt::ptree* title = child(root, "title")) {
        out.title = title->data();
        if (!text::is_storable_text(out.title)) {
            refuse({"its <title> is not valid UTF-8 or holds U+0000"});
        }
    }
    for (const auto& [key, node] : root) {
        if (key != "entry") {
            continue;
        }
        if (auto entry = read_entry(node, yt, out.channel_id)) {
            out.entries.push_back(std::move(*entry));
        } else {
            ++out.malformed;
        }
    }
    return out;
}

} // namespace streamscope::youtube

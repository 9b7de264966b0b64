#include "tests/platform_mock/youtube/data_api.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include "common/text/base64.hpp"
#include "tests/platform_mock/nasty_text.hpp"
#include "tests/platform_mock/youtube/errors.hpp"

namespace streamscope::platform_mock::youtube {
namespace {

constexpr std::uint64_t tags_salt = 0x7a65;
constexpr std::uint64_t language_salt = 0x1a46;
constexpr std::size_t default_max_results = 5;

constexpr std::string_view audio_languages[] = {"en",    "en", "en", "en-US", "es", "ja",
                                                "pt-BR", "de", "ko", "fr",    "zxx"};

// "snippet, liveStreamingDetails" -> the parts, trimmed.
std::vector<std::string_view> split_list(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const auto comma = text.find(',');
        auto item = text.substr(0, comma);
        while (!item.empty() && item.front() == ' ') {
            item.remove_prefix(1);
        }
        while (!item.empty() && item.back() == ' ') {
            item.remove_suffix(1);
        }
        if (!item.empty()) {
            out.push_back(item);
        }
        text = comma == std::string_view::npos ? "" : text.substr(comma + 1);
    }
    return out;
}

bool has_part(const std::vector<std::string_view>& parts, std::string_view part) {
    return std::find(parts.begin(), parts.end(), part) != parts.end();
}

// A 27-character etag, as Google's (a base64 SHA-1), from whatever identifies the content.
std::string etag(std::uint64_t seed) {
    constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    rng r(seed);
    std::string out;
    for (int i = 0; i < 27; ++i) {
        out += alphabet[r.below(alphabet.size())];
    }
    return out;
}

std::uint64_t hash(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : text) {
        h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    }
    return rng::mix(h);
}

boost::json::object thumbnail(std::string url, int width, int height) {
    return boost::json::object{{"url", std::move(url)}, {"width", width}, {"height", height}};
}

boost::json::object video_thumbnails(const video& v) {
    const std::string base = "https://i.ytimg.com/vi/" + v.id + "/";
    const std::string_view live = v.state == broadcast_state::live ? "_live" : "";
    const auto file = [&](std::string_view name) {
        std::string out = base;
        out.append(name).append(live).append(".jpg");
        return out;
    };
    return boost::json::object{
        {"default", thumbnail(file("default"), 120, 90)},
        {"medium", thumbnail(file("mqdefault"), 320, 180)},
        {"high", thumbnail(file("hqdefault"), 480, 360)},
    };
}

boost::json::object channel_thumbnails(const channel& c) {
    const std::string base = "https://yt3.ggpht.com/ytc/" + c.id.substr(2, 12);
    return boost::json::object{
        {"default", thumbnail(base + "=s88-c-k-c0x00ffffff-no-rj", 88, 88)},
        {"medium", thumbnail(base + "=s240-c-k-c0x00ffffff-no-rj", 240, 240)},
        {"high", thumbnail(base + "=s800-c-k-c0x00ffffff-no-rj", 800, 800)},
    };
}

std::string_view live_broadcast_content(const video& v) {
    switch (v.state) {
    case broadcast_state::live:
        return "live";
    case broadcast_state::upcoming:
        return "upcoming";
    default:
        return "none";
    }
}

// Whether the API shows the video at all.
bool visible(const world& w, const video& v) {
    return !v.removed && !w.channel_at(v.channel).terminated;
}

// A live chat id: base64 of the protobuf YouTube wraps the video and channel ids in.
std::string live_chat_id(const video& v, const channel& c) {
    std::string raw = "\n\r\n\x0b";
    raw.append(v.id).append("*'\n\x18").append(c.id).append("\x12\x0b").append(v.id);
    return streamscope::text::base64::encode(raw);
}

boost::json::object video_item(const world& w, const video& v,
                               const std::vector<std::string_view>& parts, time::timestamp now) {
    const channel& c = w.channel_at(v.channel);
    boost::json::object item{
        {"kind", "youtube#video"},
        {"etag",
         etag(hash(v.id) ^ static_cast<std::uint64_t>(v.state) ^
              static_cast<std::uint64_t>(
                  std::chrono::floor<std::chrono::minutes>(now).time_since_epoch().count()))},
        {"id", v.id},
    };
    if (has_part(parts, "snippet")) {
        const std::string description = w.description(v);
        boost::json::object snippet{
            {"publishedAt", api_time(v.published)},
            {"channelId", c.id},
            {"title", v.title},
            {"description", description},
            {"thumbnails", video_thumbnails(v)},
            {"channelTitle", c.title},
        };
        if (v.has_tags) {
            rng r = w.video_rng(v, tags_salt);
            boost::json::array tags;
            for (const auto tag : text::tags(r)) {
                tags.emplace_back(text::tag_pool()[tag]);
            }
            if (!tags.empty()) {
                snippet["tags"] = std::move(tags);
            }
        }
        snippet["categoryId"] = "20";
        snippet["liveBroadcastContent"] = live_broadcast_content(v);
        if (v.has_language) {
            rng r = w.video_rng(v, language_salt);
            snippet["defaultAudioLanguage"] = r.pick(audio_languages);
        }
        snippet["localized"] =
            boost::json::object{{"title", v.title}, {"description", description}};
        item["snippet"] = std::move(snippet);
    }
    if (has_part(parts, "liveStreamingDetails") && v.state != broadcast_state::none) {
        boost::json::object details;
        if (v.state != broadcast_state::upcoming) {
            details["actualStartTime"] = api_time(v.actual_start);
        }
        if (v.state == broadcast_state::ended) {
            details["actualEndTime"] = api_time(v.actual_end);
        }
        details["scheduledStartTime"] = api_time(v.scheduled_start);
        if (const auto viewers = w.concurrent_viewers(v, now)) {
            details["concurrentViewers"] = std::to_string(*viewers); // a string, as Google's
        }
        if (v.state != broadcast_state::ended) {
            details["activeLiveChatId"] = live_chat_id(v, c);
        }
        item["liveStreamingDetails"] = std::move(details);
    }
    return item;
}

// maxResults: 0 to 50, default 5.
std::optional<reply> read_max_results(const query& q, std::size_t& out) {
    out = default_max_results;
    const auto text = q.first("maxResults");
    if (!text) {
        return std::nullopt;
    }
    std::size_t n = 0;
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (text->empty() || ec != std::errc{} || ptr != text->data() + text->size() || n > max_ids) {
        return out_of_range("maxResults", *text);
    }
    out = n;
    return std::nullopt;
}

std::optional<reply> read_offset(const query& q, std::uint64_t& out) {
    out = 0;
    const auto token = q.first("pageToken");
    if (!token || token->empty()) {
        return std::nullopt;
    }
    if (const auto offset = read_page_token(*token)) {
        out = *offset;
        return std::nullopt;
    }
    return error_reply({400, "The request specifies an invalid page token.", "youtube.parameter",
                        "invalidPageToken", "pageToken"});
}

reply ok(boost::json::object body) {
    reply r = json_reply(200, body);
    r.content_type = json_content_type;
    return r;
}

// Paging fields of a list answer: next/prev tokens and pageInfo.
void add_paging(boost::json::object& body, std::uint64_t offset, std::size_t per_page,
                std::size_t total) {
    if (offset + per_page < total && per_page > 0) {
        body["nextPageToken"] = page_token(offset + per_page);
    }
    if (offset > 0) {
        body["prevPageToken"] = page_token(offset > per_page ? offset - per_page : 0);
    }
}

bool contains_ignoring_case(std::string_view haystack, std::string_view needle) {
    const auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                                [](char a, char b) {
                                    return std::tolower(static_cast<unsigned char>(a)) ==
                                           std::tolower(static_cast<unsigned char>(b));
                                });
    return it != haystack.end();
}

} // namespace

std::string api_time(time::timestamp t) {
    return time::format_rfc3339(std::chrono::floor<std::chrono::seconds>(t));
}

std::string uploads_playlist(std::string_view channel_id) {
    std::string out = "UU";
    out.append(channel_id.substr(std::min<std::size_t>(2, channel_id.size())));
    return out;
}

std::string page_token(std::uint64_t offset) {
    std::string raw = "\x08";
    do {
        const auto low = static_cast<unsigned char>(offset & 0x7F);
        offset >>= 7;
        raw += static_cast<char>(offset != 0 ? (low | 0x80) : low);
    } while (offset != 0);
    raw += "\x10";
    raw += '\0';
    std::string token = streamscope::text::base64::encode(raw);
    while (!token.empty() && token.back() == '=') {
        token.pop_back();
    }
    return token;
}

std::optional<std::uint64_t> read_page_token(std::string_view token) {
    if (token.size() > 32) {
        return std::nullopt;
    }
    std::string padded(token);
    padded.append((4 - padded.size() % 4) % 4, '=');
    const auto raw = streamscope::text::base64::decode(padded);
    if (!raw || raw->size() < 4 || (*raw)[0] != '\x08') {
        return std::nullopt;
    }
    std::uint64_t offset = 0;
    std::size_t i = 1;
    for (unsigned shift = 0; i < raw->size() && shift < 35; shift += 7) {
        const auto byte = static_cast<unsigned char>((*raw)[i++]);
        offset |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
        if ((byte & 0x80) == 0) {
            if (raw->substr(i) != std::string_view("\x10\0", 2)) {
                return std::nullopt;
            }
            return offset;
        }
    }
    return std::nullopt;
}

std::string html_escape(std::string_view text) {
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
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

reply list_videos(const world& w, const query& q, time::timestamp now) {
    const auto part = q.first("part");
    if (!part || split_list(*part).empty()) {
        return required_parameter("part");
    }
    const auto id = q.first("id");
    if (!id) {
        return no_filter("myRating, id, chart");
    }
    const auto ids = split_list(*id);
    if (ids.size() > max_ids) {
        // Google's exact words for this case are not documented (platform-apis.md §5); a
        // badRequest on the id parameter is what its other list methods answer.
        return error_reply({400,
                            "The request specifies more than 50 values in the id parameter, the "
                            "maximum for a single request.",
                            "youtube.parameter", "badRequest", "id"});
    }
    const auto parts = split_list(*part);
    boost::json::array items;
    std::vector<std::string_view> seen;
    for (const auto video_id : ids) {
        const video* v = w.find_video(video_id);
        if (v == nullptr || !visible(w, *v) ||
            std::find(seen.begin(), seen.end(), video_id) != seen.end()) {
            continue;
        }
        seen.push_back(video_id);
        items.push_back(video_item(w, *v, parts, now));
    }
    const auto n = items.size();
    return ok(boost::json::object{
        {"kind", "youtube#videoListResponse"},
        {"etag", etag(hash(*id) ^ static_cast<std::uint64_t>(n))},
        {"items", std::move(items)},
        {"pageInfo", boost::json::object{{"totalResults", n}, {"resultsPerPage", n}}},
    });
}

reply list_channels(const world& w, const query& q) {
    const auto part = q.first("part");
    if (!part || split_list(*part).empty()) {
        return required_parameter("part");
    }
    const auto parts = split_list(*part);
    std::vector<const channel*> found;
    std::size_t per_page = default_max_results;
    if (const auto id = q.first("id")) {
        const auto ids = split_list(*id);
        if (ids.size() > max_ids) {
            return error_reply({400,
                                "The request specifies more than 50 values in the id "
                                "parameter, the maximum for a single request.",
                                "youtube.parameter", "badRequest", "id"});
        }
        for (const auto channel_id : ids) {
            const channel* c = w.find_channel(channel_id);
            if (c != nullptr && !c->terminated &&
                std::find(found.begin(), found.end(), c) == found.end()) {
                found.push_back(c);
            }
        }
        per_page = found.size();
    } else if (const auto handle = q.first("forHandle")) {
        const channel* c = w.find_channel_by_handle(*handle);
        if (c != nullptr && !c->terminated) {
            found.push_back(c);
        }
    } else if (!q.has("forUsername")) { // legacy usernames: the mock's channels have none
        return no_filter(
            "forUsername, managedByMe, categoryId, mine, mySubscribers, id, idParam, forHandle");
    }
    boost::json::array items;
    for (const channel* c : found) {
        boost::json::object item{
            {"kind", "youtube#channel"},
            {"etag", etag(hash(c->id) ^ c->uploads.size())},
            {"id", c->id},
        };
        if (has_part(parts, "snippet")) {
            std::string custom_url = c->handle;
            std::transform(custom_url.begin(), custom_url.end(), custom_url.begin(), [](char ch) {
                return static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            });
            item["snippet"] = boost::json::object{
                {"title", c->title},
                {"description", ""},
                {"customUrl", std::move(custom_url)},
                {"publishedAt", api_time(c->published)},
                {"thumbnails", channel_thumbnails(*c)},
                {"localized", boost::json::object{{"title", c->title}, {"description", ""}}},
            };
        }
        if (has_part(parts, "contentDetails")) {
            item["contentDetails"] = boost::json::object{
                {"relatedPlaylists",
                 boost::json::object{{"likes", ""}, {"uploads", uploads_playlist(c->id)}}},
            };
        }
        if (has_part(parts, "statistics")) {
            const std::uint64_t h = hash(c->id);
            item["statistics"] = boost::json::object{
                {"viewCount", std::to_string(h % 50'000'000)},
                {"subscriberCount", std::to_string((h >> 20) % 2'000'000)},
                {"hiddenSubscriberCount", false},
                {"videoCount", std::to_string(c->uploads.size())},
            };
        }
        items.push_back(std::move(item));
    }
    const auto n = items.size();
    boost::json::object body{
        {"kind", "youtube#channelListResponse"},
        {"etag", etag(hash(q.first("id").value_or(q.first("forHandle").value_or(""))) ^ n)},
        {"pageInfo", boost::json::object{{"totalResults", n}, {"resultsPerPage", per_page}}},
    };
    if (n > 0) { // Google leaves "items" out when nothing matched
        body["items"] = std::move(items);
    }
    return ok(std::move(body));
}

reply list_playlist_items(const world& w, const query& q) {
    const auto part = q.first("part");
    if (!part || split_list(*part).empty()) {
        return required_parameter("part");
    }
    const auto parts = split_list(*part);
    const auto playlist = q.first("playlistId");
    if (!playlist) {
        return no_filter("playlistId, id");
    }
    std::size_t per_page = 0;
    std::uint64_t offset = 0;
    if (auto bad = read_max_results(q, per_page)) {
        return std::move(*bad);
    }
    if (auto bad = read_offset(q, offset)) {
        return std::move(*bad);
    }
    const channel* c = nullptr;
    if (playlist->size() == 24 && playlist->starts_with("UU")) {
        std::string channel_id = "UC";
        channel_id.append(playlist->substr(2));
        c = w.find_channel(channel_id);
    }
    if (c == nullptr || c->terminated) {
        return error_reply({404,
                            "The playlist identified with the request's <code>playlistId</code> "
                            "parameter cannot be found.",
                            "youtube.playlistItem", "playlistNotFound", "playlistId"});
    }
    std::vector<const video*> list; // newest first
    for (auto it = c->uploads.rbegin(); it != c->uploads.rend(); ++it) {
        const video& v = w.video_at(*it);
        if (!v.removed) {
            list.push_back(&v);
        }
    }
    boost::json::array items;
    for (std::uint64_t i = offset; i < list.size() && i < offset + per_page; ++i) {
        const video& v = *list[i];
        boost::json::object item{
            {"kind", "youtube#playlistItem"},
            {"etag", etag(hash(v.id) ^ 0x9119ULL)},
            {"id", streamscope::text::base64::encode(std::string(*playlist) + "." + v.id)},
        };
        if (has_part(parts, "snippet")) {
            item["snippet"] = boost::json::object{
                {"publishedAt", api_time(v.published)},
                {"channelId", c->id},
                {"title", v.title},
                {"description", w.description(v)},
                {"thumbnails", video_thumbnails(v)},
                {"channelTitle", c->title},
                {"playlistId", *playlist},
                {"position", i},
                {"resourceId", boost::json::object{{"kind", "youtube#video"}, {"videoId", v.id}}},
                {"videoOwnerChannelTitle", c->title},
                {"videoOwnerChannelId", c->id},
            };
        }
        if (has_part(parts, "contentDetails")) {
            item["contentDetails"] = boost::json::object{
                {"videoId", v.id},
                {"videoPublishedAt", api_time(v.published)},
            };
        }
        items.push_back(std::move(item));
    }
    boost::json::object body{
        {"kind", "youtube#playlistItemListResponse"},
        {"etag", etag(hash(*playlist) ^ list.size() ^ offset)},
    };
    add_paging(body, offset, per_page, list.size());
    body["items"] = std::move(items);
    body["pageInfo"] =
        boost::json::object{{"totalResults", list.size()}, {"resultsPerPage", per_page}};
    return ok(std::move(body));
}

reply list_search(const world& w, const query& q, time::timestamp now) {
    const auto part = q.first("part");
    if (!part || split_list(*part).empty()) {
        return required_parameter("part");
    }
    const auto type = q.first("type");
    const auto event_type = q.first("eventType");
    if (event_type && type != "video") {
        return error_reply(
            {400,
             "The request contains an invalid combination of search filters and/or "
             "restrictions. Note that you must set the type parameter to video if you set a "
             "value for the eventType, videoCaption, videoCategoryId, videoDefinition, "
             "videoDimension, videoDuration, videoEmbeddable, videoLicense, videoSyndicated, "
             "or videoType parameters.",
             "youtube.search", "invalidSearchFilter", ""});
    }
    std::optional<broadcast_state> wanted;
    if (event_type) {
        if (*event_type == "live") {
            wanted = broadcast_state::live;
        } else if (*event_type == "upcoming") {
            wanted = broadcast_state::upcoming;
        } else if (*event_type == "completed") {
            wanted = broadcast_state::ended;
        } else {
            return error_reply({400, "Invalid value for parameter eventType.", "youtube.parameter",
                                "invalidParameter", "eventType"});
        }
    }
    std::size_t per_page = 0;
    std::uint64_t offset = 0;
    if (auto bad = read_max_results(q, per_page)) {
        return std::move(*bad);
    }
    if (auto bad = read_offset(q, offset)) {
        return std::move(*bad);
    }
    const std::string_view words = q.first("q").value_or("");
    const auto channel_id = q.first("channelId");

    // Only videos: type=channel or playlist finds nothing here.
    std::vector<const video*> found;
    if (!type || type == "video") {
        for (const video& v : w.videos()) {
            const channel& c = w.channel_at(v.channel);
            if (!visible(w, v) || (wanted && v.state != *wanted) ||
                (channel_id && c.id != *channel_id) ||
                (!words.empty() && !contains_ignoring_case(v.title, words) &&
                 !contains_ignoring_case(c.title, words))) {
                continue;
            }
            found.push_back(&v);
        }
    }
    // Live ones by audience (a hidden count as none), the rest newest first.
    const auto audience = [&](const video* v) { return w.concurrent_viewers(*v, now).value_or(0); };
    std::stable_sort(found.begin(), found.end(), [&](const video* a, const video* b) {
        const bool a_live = a->state == broadcast_state::live;
        const bool b_live = b->state == broadcast_state::live;
        if (a_live != b_live) {
            return a_live;
        }
        if (a_live && audience(a) != audience(b)) {
            return audience(a) > audience(b);
        }
        return a->published > b->published;
    });
    boost::json::array items;
    for (std::uint64_t i = offset; i < found.size() && i < offset + per_page; ++i) {
        const video& v = *found[i];
        const channel& c = w.channel_at(v.channel);
        items.push_back(boost::json::object{
            {"kind", "youtube#searchResult"},
            {"etag", etag(hash(v.id) ^ 0x5ea6c4ULL)},
            {"id", boost::json::object{{"kind", "youtube#video"}, {"videoId", v.id}}},
            {"snippet",
             boost::json::object{
                 {"publishedAt", api_time(v.published)},
                 {"channelId", c.id},
                 {"title", html_escape(v.title)},
                 {"description", html_escape(text::truncate_code_points(w.description(v), 160))},
                 {"thumbnails", video_thumbnails(v)},
                 {"channelTitle", html_escape(c.title)},
                 {"liveBroadcastContent", live_broadcast_content(v)},
                 {"publishTime", api_time(v.published)},
             }},
        });
    }
    boost::json::object body{
        {"kind", "youtube#searchListResponse"},
        {"etag", etag(hash(words) ^ found.size() ^ offset)},
    };
    add_paging(body, offset, per_page, found.size());
    body["regionCode"] = "US";
    body["pageInfo"] =
        boost::json::object{{"totalResults", found.size()}, {"resultsPerPage", per_page}};
    body["items"] = std::move(items);
    return ok(std::move(body));
}

} // namespace streamscope::platform_mock::youtube

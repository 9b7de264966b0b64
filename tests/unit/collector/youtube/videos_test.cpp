#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "collector/platform/json_fields.hpp"
#include "collector/youtube/videos.hpp"

namespace json = boost::json;
using namespace streamscope;
using youtube::read_videos;
using youtube::video_phase;

namespace {

// A live broadcast with every field, as videos.list documents them.
constexpr const char* live_item = R"({
    "kind": "youtube#video",
    "etag": "x",
    "id": "jfKfPfyJRdk",
    "snippet": {
        "publishedAt": "2022-07-12T15:59:42Z",
        "channelId": "UCSJ4gkVC6NrvII8umztf0Ow",
        "title": "lofi hip hop radio \ud83d\udcda - beats to relax/study to",
        "description": "long text",
        "thumbnails": {
            "default": {"url": "https://i.ytimg.com/vi/jfKfPfyJRdk/default_live.jpg", "width": 120, "height": 90},
            "maxres": {"url": "https://i.ytimg.com/vi/jfKfPfyJRdk/maxresdefault_live.jpg", "width": 1280, "height": 720},
            "high": {"url": "https://i.ytimg.com/vi/jfKfPfyJRdk/hqdefault_live.jpg", "width": 480, "height": 360}
        },
        "channelTitle": "Lofi Girl",
        "tags": ["lofi", "study"],
        "categoryId": "10",
        "liveBroadcastContent": "live",
        "defaultLanguage": "en",
        "localized": {"title": "x", "description": "y"},
        "defaultAudioLanguage": "en-US"
    },
    "liveStreamingDetails": {
        "actualStartTime": "2022-07-12T16:05:31.123Z",
        "scheduledStartTime": "2022-07-12T16:00:00Z",
        "concurrentViewers": "31245",
        "activeLiveChatId": "Cg0KC2pmS2ZQZnlKUmRrKicKGFVDU0o0Z2tWQzZOcnZJSTh1bXp0ZjBPdxILamZLZlBmeUpSZGs"
    }
})";

json::value answer_of(const std::string& items) {
    return json::parse(R"({"kind":"youtube#videoListResponse","etag":"e","items":[)" + items +
                       R"(],"pageInfo":{"totalResults":1,"resultsPerPage":1}})");
}

// A record with the given id, snippet additions and liveStreamingDetails ("" for none).
std::string item(const std::string& id, const std::string& details,
                 const std::string& snippet_extra = {}) {
    std::string s = R"({"id":")";
    s += id;
    s += R"(","snippet":{"channelId":"UCSJ4gkVC6NrvII8umztf0Ow","title":"t")";
    s += snippet_extra;
    s += "}";
    if (!details.empty()) {
        s += R"(,"liveStreamingDetails":)";
        s += details;
    }
    s += "}";
    return s;
}

youtube::video only(const youtube::video_answer& answer) {
    REQUIRE(answer.malformed == 0);
    REQUIRE(answer.videos.size() == 1);
    return answer.videos[0];
}

} // namespace

TEST_CASE("a live video maps onto an observation, field by field", "[unit][youtube]") {
    const auto v = only(read_videos(answer_of(live_item)));
    CHECK(v.video_id == "jfKfPfyJRdk");
    CHECK(v.channel_id == "UCSJ4gkVC6NrvII8umztf0Ow");
    CHECK(v.phase == video_phase::live);
    REQUIRE(v.scheduled_start.has_value());
    CHECK(time::format_rfc3339(*v.scheduled_start) == "2022-07-12T16:00:00Z");
    REQUIRE(v.actual_start.has_value());
    CHECK(time::format_rfc3339(*v.actual_start) == "2022-07-12T16:05:31.123000Z");
    CHECK_FALSE(v.actual_end.has_value());
    REQUIRE(v.published.has_value());
    CHECK(time::format_rfc3339(*v.published) == "2022-07-12T15:59:42Z");

    const auto& s = v.observation;
    CHECK(s.platform_stream_id == "jfKfPfyJRdk");
    CHECK(s.platform_user_id == "UCSJ4gkVC6NrvII8umztf0Ow");
    CHECK(s.login.empty());
    CHECK(s.display_name == "Lofi Girl");
    CHECK(s.platform_game_id == "10");
    CHECK(s.game_name.empty());
    CHECK(s.title == "lofi hip hop radio \xF0\x9F\x93\x9A - beats to relax/study to");
    CHECK(s.tags == std::vector<std::string>{"lofi", "study"});
    CHECK(s.viewer_count == 31245);
    CHECK(time::format_rfc3339(s.started_at) == "2022-07-12T16:05:31.123000Z");
    CHECK(s.language == "en-US"); // the audio's language before the metadata's
    CHECK(s.thumbnail_url == "https://i.ytimg.com/vi/jfKfPfyJRdk/maxresdefault_live.jpg");
    CHECK_FALSE(s.is_mature);
}

TEST_CASE("a video's phase from its liveStreamingDetails", "[unit][youtube]") {
    const std::string start = R"("actualStartTime":"2026-11-30T10:00:00Z")";
    const std::string end = R"("actualEndTime":"2026-11-30T12:00:00Z")";
    const std::string scheduled = R"("scheduledStartTime":"2026-12-01T18:00:00Z")";

    const auto live = only(read_videos(answer_of(item("AAAAAAAAAAA", "{" + start + "}"))));
    CHECK(live.phase == video_phase::live);
    CHECK_FALSE(live.observation.viewer_count.has_value()); // the count is hidden

    const auto ended = only(read_videos(
        answer_of(item("AAAAAAAAAAA", "{" + scheduled + "," + start + "," + end + "}"))));
    CHECK(ended.phase == video_phase::ended);
    REQUIRE(ended.actual_end.has_value());
    CHECK(time::format_rfc3339(*ended.actual_end) == "2026-11-30T12:00:00Z");
    CHECK(time::format_rfc3339(ended.observation.started_at) == "2026-11-30T10:00:00Z");

    const auto upcoming = only(read_videos(answer_of(item("AAAAAAAAAAA", "{" + scheduled + "}"))));
    CHECK(upcoming.phase == video_phase::upcoming);
    CHECK(upcoming.observation.started_at == time::timestamp{}); // not started: the epoch

    const auto said_upcoming = only(
        read_videos(answer_of(item("AAAAAAAAAAA", "{}", R"(,"liveBroadcastContent":"upcoming")"))));
    CHECK(said_upcoming.phase == video_phase::upcoming);

    const auto upload =
        only(read_videos(answer_of(item("AAAAAAAAAAA", "", R"(,"liveBroadcastContent":"none")"))));
    CHECK(upload.phase == video_phase::not_a_broadcast);
    CHECK_FALSE(upload.scheduled_start.has_value());
    CHECK_FALSE(upload.published.has_value());
    CHECK(upload.observation.platform_stream_id == "AAAAAAAAAAA");
    CHECK(upload.observation.title == "t");
    CHECK(upload.observation.thumbnail_url.empty());
    CHECK(upload.observation.language.empty());
    CHECK(upload.observation.display_name.empty());

    const auto empty_details =
        only(read_videos(answer_of(item("AAAAAAAAAAA", R"({"activeLiveChatId":"x"})"))));
    CHECK(empty_details.phase == video_phase::not_a_broadcast);
}

TEST_CASE("concurrentViewers: text of a uint64, clamped to the model's int32", "[unit][youtube]") {
    const auto viewers = [](const std::string& value) {
        const std::string details =
            R"({"actualStartTime":"2026-11-30T10:00:00Z","concurrentViewers":)" + value + "}";
        return read_videos(answer_of(item("AAAAAAAAAAA", details)));
    };
    CHECK(only(viewers(R"("0")")).observation.viewer_count == 0);
    CHECK(only(viewers(R"("2147483647")")).observation.viewer_count == 2147483647);
    CHECK(only(viewers(R"("2147483648")")).observation.viewer_count == 2147483647);
    CHECK(only(viewers(R"("18446744073709551615")")).observation.viewer_count == 2147483647);
    CHECK_FALSE(only(viewers("null")).observation.viewer_count.has_value());
    for (const std::string bad : {R"("18446744073709551616")", R"("-1")", R"("12a")", R"("")",
                                  R"(" 12")", R"("1e3")", "12", R"("+5")"}) {
        INFO(bad);
        const auto answer = viewers(bad);
        CHECK(answer.videos.empty());
        CHECK(answer.malformed == 1);
    }
}

TEST_CASE("the language: the audio's, else the metadata's, else none", "[unit][youtube]") {
    const auto language = [](const std::string& extra) {
        return only(read_videos(answer_of(item("AAAAAAAAAAA", "", extra)))).observation.language;
    };
    CHECK(language(R"(,"defaultLanguage":"de")") == "de");
    CHECK(language(R"(,"defaultLanguage":"de","defaultAudioLanguage":"fr")") == "fr");
    CHECK(language(R"(,"defaultLanguage":"de","defaultAudioLanguage":null)") == "de");
    CHECK(language("").empty());
}

TEST_CASE("the largest thumbnail, by size or by what its name stands for", "[unit][youtube]") {
    const auto thumbnail = [](const std::string& thumbnails) {
        return only(read_videos(
                        answer_of(item("AAAAAAAAAAA", "", R"(,"thumbnails":)" + thumbnails))))
            .observation.thumbnail_url;
    };
    CHECK(thumbnail(R"({"default":{"url":"d"},"medium":{"url":"m"},"high":{"url":"h"}})") == "h");
    CHECK(thumbnail(R"({"standard":{"url":"s"},"high":{"url":"h"}})") == "s");
    CHECK(
        thumbnail(
            R"({"maxres":{"url":"x","width":1280,"height":720},"odd":{"url":"o","width":2000,"height":2000}})") ==
        "o");
    CHECK(thumbnail(
              R"({"maxres":{"url":""},"high":{"url":"h"},"standard":"s","medium":{"url":5}})") ==
          "h");
    CHECK(thumbnail("{}").empty());
    CHECK(thumbnail("null").empty());
}

TEST_CASE("a video record that cannot be read is left out and counted, never the answer",
          "[unit][youtube]") {
    const std::string start = R"({"actualStartTime":"2026-11-30T10:00:00Z"})";
    const std::vector<std::string> bad{
        R"({"snippet":{"channelId":"UCSJ4gkVC6NrvII8umztf0Ow"}})", // no id
        item("short", start),                                      // not a video id
        R"({"id":"BBBBBBBBBBB"})",                                 // no snippet
        R"({"id":"CCCCCCCCCCC","snippet":{"channelId":"SJ4gkVC6NrvII8umztf0Ow"}})",
        item("DDDDDDDDDDD", R"({"actualStartTime":"yesterday"})"),
        item("EEEEEEEEEEE", R"({"actualEndTime":5})"),
        item("FFFFFFFFFFF", "", R"(,"publishedAt":"2026-13-01T00:00:00Z")"),
        item("GGGGGGGGGGG", "", R"(,"tags":["ok",5])"),
        item("HHHHHHHHHHH", "[]"),
        "42",
    };
    std::string items;
    for (const std::string& b : bad) {
        items += b + ",";
    }
    items += item("ZZZZZZZZZZZ", start);
    const auto answer = read_videos(answer_of(items));
    CHECK(answer.malformed == 10);
    REQUIRE(answer.videos.size() == 1);
    CHECK(answer.videos[0].video_id == "ZZZZZZZZZZZ");
    REQUIRE(answer.unreadable.size() == 10);
    CHECK(answer.unreadable[0].video_id.empty());
    CHECK(answer.unreadable[0].problem == "field 'id' is missing or not present");
    CHECK(answer.unreadable[1].video_id == "short");
    CHECK(answer.unreadable[1].problem == "field 'id' is missing or not a video id");
    CHECK(answer.unreadable[3].problem ==
          "field 'snippet.channelId' is missing or not a channel id");
    CHECK(answer.unreadable[4].video_id == "DDDDDDDDDDD");
    CHECK(answer.unreadable[4].problem ==
          "field 'actualStartTime' is missing or not an RFC 3339 time");
}

TEST_CASE("an answer without items throws; an empty one is no videos", "[unit][youtube]") {
    CHECK(read_videos(json::parse(R"({"kind":"youtube#videoListResponse","items":[]})"))
              .videos.empty());
    CHECK_THROWS_AS(read_videos(json::parse(R"({"kind":"youtube#videoListResponse"})")),
                    collector::malformed_field);
    CHECK_THROWS_AS(read_videos(json::parse(R"({"items":{}})")), collector::malformed_field);
    CHECK_THROWS_AS(read_videos(json::parse("[]")), collector::malformed_field);
}

TEST_CASE("the asked ids an answer leaves out: deleted or private videos", "[unit][youtube]") {
    const auto answer = read_videos(
        answer_of(item("AAAAAAAAAAA", "") + "," + item("CCCCCCCCCCC", R"({"actualEndTime":"x"})")));
    REQUIRE(answer.videos.size() == 1);
    const std::vector<std::string> asked{"AAAAAAAAAAA", "BBBBBBBBBBB", "CCCCCCCCCCC", "DDDDDDDDDDD",
                                         "BBBBBBBBBBB"};
    // C is there but unreadable: it exists. B was asked twice, and is missing once.
    CHECK(youtube::missing_ids(asked, answer) ==
          std::vector<std::string>{"BBBBBBBBBBB", "DDDDDDDDDDD"});
    CHECK(youtube::missing_ids({}, answer).empty());
}

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "tests/platform_mock/service.hpp"

using namespace streamscope;
using namespace streamscope::platform_mock;

namespace {

constexpr std::string_view key = "key=mock-youtube-api-key";

// A small YouTube on a stopped clock, two hours before a Pacific midnight (08:00 UTC).
service_config small(std::uint64_t daily_units = 10'000) {
    service_config config;
    config.twitch.world.streams = 10;
    config.twitch.world.channels = 20;
    config.kick.world.streams = 10;
    config.kick.world.channels = 20;
    config.youtube.world.channels = 200;
    config.youtube.time_scale = 0;
    config.youtube.fixed_start = *time::parse_rfc3339("2026-01-15T06:00:00Z");
    config.youtube.quota.daily_units = daily_units;
    config.youtube.quota.search_daily_calls = 2;
    return config;
}

struct answer {
    unsigned status;
    boost::json::value body;
    reply raw;
};

answer call(service& svc, std::string_view method, std::string target, std::string_view body = "",
            std::string_view remote = "127.0.0.1") {
    reply r = svc.handle({method, target, std::nullopt, std::nullopt, body, remote});
    boost::json::value json;
    if (!r.body.empty() && r.content_type.starts_with("application/json")) {
        json = boost::json::parse(r.body);
    }
    return {r.status, json, std::move(r)};
}

answer get(service& svc, std::string target) {
    return call(svc, "GET", std::move(target));
}

std::string_view reason_of(const answer& a) {
    return a.body.at("error").at("errors").at(0).at("reason").as_string();
}

boost::json::object world_of(service& svc) {
    return get(svc, "/_mock/youtube/world").body.as_object();
}

} // namespace

TEST_CASE("YouTube: a missing or wrong key is Google's 400 API_KEY_INVALID, uncharged",
          "[unit][mock][youtube]") {
    service svc(small());
    for (const std::string target : {"/youtube/v3/videos?part=snippet&id=abc",
                                     "/youtube/v3/videos?part=snippet&id=abc&key=wrong"}) {
        const auto a = get(svc, target);
        CHECK(a.status == 400);
        CHECK(a.body.at("error").at("message") ==
              "API key not valid. Please pass a valid API key.");
        CHECK(reason_of(a) == "badRequest");
        CHECK(a.body.at("error").at("details").at(0).at("reason") == "API_KEY_INVALID");
    }
    CHECK(get(svc, "/_mock/youtube/quota").body.at("keys").as_object().empty());
    CHECK(get(svc, "/_mock/youtube/stats").body.at("invalid_keys") == 2);
}

TEST_CASE("YouTube: every call costs a unit, invalid ones too, until quotaExceeded",
          "[unit][mock][youtube]") {
    service svc(small(3));
    CHECK(get(svc, "/youtube/v3/videos?id=abc&" + std::string(key)).status == 400); // no part
    CHECK(get(svc, "/youtube/v3/videos?part=snippet&id=abc&" + std::string(key)).status == 200);
    CHECK(get(svc, "/youtube/v3/channels?part=snippet&id=UCx&" + std::string(key)).status == 200);
    const auto refused = get(svc, "/youtube/v3/videos?part=snippet&id=abc&" + std::string(key));
    CHECK(refused.status == 403);
    CHECK(reason_of(refused) == "quotaExceeded");
    CHECK(refused.body.at("error").at("errors").at(0).at("domain") == "youtube.quota");
    // Search has its own bucket.
    const std::string search =
        "/youtube/v3/search?part=snippet&type=video&eventType=live&" + std::string(key);
    CHECK(get(svc, search).status == 200);
    CHECK(get(svc, search).status == 200);
    CHECK(get(svc, search).status == 403);

    auto ledger = get(svc, "/_mock/youtube/quota").body;
    const auto& spent = ledger.at("keys").at("mock-youtube-api-key");
    CHECK(spent.at("units") == 3);
    CHECK(spent.at("search_calls") == 2);
    CHECK(spent.at("by_method").at("videos.list") == 2);
    CHECK(spent.at("by_method").at("channels.list") == 1);
    CHECK(ledger.at("next_reset_at") == "2026-01-15T08:00:00Z");

    // Two simulated hours later it is a new day in Los Angeles.
    CHECK(call(svc, "POST", "/_mock/youtube/clock/advance?seconds=7200").status == 200);
    CHECK(get(svc, "/youtube/v3/videos?part=snippet&id=abc&" + std::string(key)).status == 200);

    // A test spends the day's quota at once, and gives it back.
    CHECK(call(svc, "POST", "/_mock/youtube/quota", R"({"units":3})").status == 200);
    CHECK(get(svc, "/youtube/v3/videos?part=snippet&id=abc&" + std::string(key)).status == 403);
    CHECK(call(svc, "DELETE", "/_mock/youtube/quota").status == 200);
    CHECK(get(svc, "/youtube/v3/videos?part=snippet&id=abc&" + std::string(key)).status == 200);
}

TEST_CASE("YouTube videos.list: at most 50 ids, unknown and removed ones absent, live details",
          "[unit][mock][youtube]") {
    service svc(small());
    const auto world = world_of(svc);
    std::string ids;
    for (const auto& l : world.at("live").as_array()) {
        ids += std::string(l.at("video_id").as_string()) + ",";
    }
    const auto removed = world.at("removed_video_ids").as_array();
    REQUIRE(!removed.empty());
    ids += std::string(removed.at(0).as_string()) + ",nosuchvideo";
    const auto a = get(svc, "/youtube/v3/videos?part=snippet,liveStreamingDetails&id=" + ids + "&" +
                                std::string(key));
    REQUIRE(a.status == 200);
    const auto& items = a.body.at("items").as_array();
    CHECK(items.size() == world.at("live").as_array().size());
    for (const auto& item : items) {
        CHECK(item.at("snippet").at("liveBroadcastContent") == "live");
        const auto& details = item.at("liveStreamingDetails").as_object();
        CHECK(details.contains("actualStartTime"));
        CHECK_FALSE(details.contains("actualEndTime"));
        if (const auto* viewers = details.if_contains("concurrentViewers")) {
            CHECK(viewers->is_string());
        }
    }

    std::string many = "a";
    for (int i = 0; i < 50; ++i) {
        many += ",a" + std::to_string(i);
    }
    const auto too_many =
        get(svc, "/youtube/v3/videos?part=snippet&id=" + many + "&" + std::string(key));
    CHECK(too_many.status == 400);
    CHECK(reason_of(too_many) == "badRequest");
}

TEST_CASE("YouTube admin: every broadcast that went live, as videos.list tells it",
          "[unit][mock][youtube]") {
    service svc(small());
    REQUIRE(call(svc, "POST", "/_mock/youtube/clock/advance?seconds=21600").status == 200);
    const auto world = world_of(svc);
    const auto& broadcasts = world.at("broadcasts").as_array();
    std::size_t live = 0;
    std::size_t ended = 0;
    std::string ids;
    for (std::size_t i = 0; i < broadcasts.size() && i < 50; ++i) {
        ids += std::string(broadcasts[i].at("video_id").as_string()) + ",";
    }
    for (const auto& b : broadcasts) {
        (b.at("actual_end_time").is_null() ? live : ended) += 1;
    }
    CHECK(live == world.at("live").as_array().size());
    CHECK(ended > 0);
    const auto a =
        get(svc, "/youtube/v3/videos?part=liveStreamingDetails&id=" + ids + "&" + std::string(key));
    REQUIRE(a.status == 200);
    const auto& items = a.body.at("items").as_array();
    REQUIRE(items.size() == std::min<std::size_t>(50, broadcasts.size()));
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& details = items[i].at("liveStreamingDetails").as_object();
        CHECK(details.at("actualStartTime") == broadcasts[i].at("actual_start_time"));
        const auto* end = details.if_contains("actualEndTime");
        CHECK((end == nullptr ? boost::json::value(nullptr) : *end) ==
              broadcasts[i].at("actual_end_time"));
    }
}

TEST_CASE("YouTube: channels by handle, the uploads playlist newest first, search's rules",
          "[unit][mock][youtube]") {
    service svc(small());
    const auto world = world_of(svc);
    const auto& channels = world.at("channels").as_array();
    const auto it = std::find_if(channels.begin(), channels.end(), [](const auto& c) {
        return !c.at("terminated").as_bool() &&
               c.at("uploads").template to_number<std::uint64_t>() > 3;
    });
    REQUIRE(it != channels.end());
    const std::string id(it->at("id").as_string());
    const std::string handle(it->at("handle").as_string());

    const auto by_handle =
        get(svc, "/youtube/v3/channels?part=snippet,contentDetails&forHandle=" + handle.substr(1) +
                     "&" + std::string(key));
    REQUIRE(by_handle.status == 200);
    const auto& channel = by_handle.body.at("items").at(0);
    CHECK(channel.at("id").as_string() == id);
    const std::string uploads(
        channel.at("contentDetails").at("relatedPlaylists").at("uploads").as_string());
    CHECK(uploads == "UU" + id.substr(2));
    const auto nobody =
        get(svc, "/youtube/v3/channels?part=snippet&forHandle=@nobody-here&" + std::string(key));
    CHECK(nobody.status == 200);
    CHECK_FALSE(nobody.body.as_object().contains("items"));

    const auto page = get(svc, "/youtube/v3/playlistItems?part=snippet,contentDetails&maxResults="
                               "2&playlistId=" +
                                   uploads + "&" + std::string(key));
    REQUIRE(page.status == 200);
    const auto& items = page.body.at("items").as_array();
    REQUIRE(items.size() == 2);
    CHECK(items.at(0).at("contentDetails").at("videoPublishedAt").as_string() >=
          items.at(1).at("contentDetails").at("videoPublishedAt").as_string());
    CHECK(page.body.at("nextPageToken") == "CAIQAA");
    const auto gone =
        get(svc, "/youtube/v3/playlistItems?part=snippet&playlistId=UUnope&" + std::string(key));
    CHECK(gone.status == 404);
    CHECK(reason_of(gone) == "playlistNotFound");
    CHECK(get(svc, "/youtube/v3/playlistItems?part=snippet&maxResults=51&playlistId=" + uploads +
                       "&" + std::string(key))
              .status == 400);

    const auto no_type =
        get(svc, "/youtube/v3/search?part=snippet&eventType=live&" + std::string(key));
    CHECK(no_type.status == 400);
    CHECK(reason_of(no_type) == "invalidSearchFilter");
}

TEST_CASE("YouTube feeds: Atom without a key, 404 for unknown channels, 429 when impolite",
          "[unit][mock][youtube]") {
    auto config = small();
    config.youtube.feed_requests_per_second = 2;
    service svc(std::move(config));
    const auto world = world_of(svc);
    const std::string id(world.at("channels").at(0).at("id").as_string());
    const auto feed = get(svc, "/feeds/videos.xml?channel_id=" + id);
    const bool terminated = world.at("channels").at(0).at("terminated").as_bool();
    CHECK(feed.status == (terminated ? 404 : 200));
    CHECK(get(svc, "/feeds/videos.xml?channel_id=UCnope").status == 404);
    CHECK(get(svc, "/feeds/videos.xml?channel_id=" + id).status == 429);
    CHECK(call(svc, "GET", "/feeds/videos.xml?channel_id=" + id, "", "10.0.0.2").status != 429);

    CHECK(call(svc, "POST", "/_mock/youtube/channel",
               R"({"channel_id":")" + id + R"(","feed_status":500})")
              .status == 200);
    CHECK(call(svc, "GET", "/feeds/videos.xml?channel_id=" + id, "", "10.0.0.3").status == 500);
    const auto stats = get(svc, "/_mock/youtube/stats").body;
    CHECK(stats.at("feed_requests").at(id) == 4);
    CHECK(stats.at("feeds_limited") == 1);
}

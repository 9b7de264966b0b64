#include <catch2/catch.hpp>

#include "api/params/channel_name.hpp"

using streamscope::api::is_youtube_channel_id;
using streamscope::api::parse_channel_name;
using streamscope::model::platform;

TEST_CASE("a YouTube channel id is UC and 22 of [A-Za-z0-9_-]", "[unit][api][params]") {
    CHECK(is_youtube_channel_id("UCX6OQ3DkcsbYNE6H8uQQuVA"));
    CHECK(is_youtube_channel_id("UC_x5XG1OV2P6uZZ5FSM9Ttw"));
    CHECK(is_youtube_channel_id("UC-lHJZR3Gqxm24_Vd_AJ5Yw"));
    CHECK_FALSE(is_youtube_channel_id("UCX6OQ3DkcsbYNE6H8uQQuV"));   // 23 characters
    CHECK_FALSE(is_youtube_channel_id("UCX6OQ3DkcsbYNE6H8uQQuVAx")); // 25
    CHECK_FALSE(is_youtube_channel_id("ucx6oq3dkcsbyne6h8uqquva"));  // lower case "uc"
    CHECK_FALSE(is_youtube_channel_id("UCX6OQ3DkcsbYNE6H8uQQu.A"));
    CHECK_FALSE(is_youtube_channel_id("@UCX6OQ3DkcsbYNE6H8uQQuV"));
    CHECK_FALSE(is_youtube_channel_id(""));
}

TEST_CASE("a YouTube channel is named by its handle, with or without @, or its id",
          "[unit][api][params]") {
    const auto with_at = parse_channel_name(platform::youtube, "@LofiGirl");
    CHECK(with_at.login == "LofiGirl"); // the query also compares it in lower case
    CHECK(with_at.channel_id.empty());
    const auto bare = parse_channel_name(platform::youtube, "lofigirl");
    CHECK(bare.login == "lofigirl");
    CHECK(bare.channel_id.empty());
    const auto id = parse_channel_name(platform::youtube, "UCSJ4gkVC6NrvII8umztf0Ow");
    CHECK(id.channel_id == "UCSJ4gkVC6NrvII8umztf0Ow");
    CHECK(id.login == "UCSJ4gkVC6NrvII8umztf0Ow"); // a channel without a handle: its id as login
    // With the "@" it can only be a handle, even one spelled like an id.
    CHECK(parse_channel_name(platform::youtube, "@UCSJ4gkVC6NrvII8umztf0Ow").channel_id.empty());
    CHECK(parse_channel_name(platform::youtube, "@").login.empty());
}

TEST_CASE("Twitch and Kick logins are taken as they are", "[unit][api][params]") {
    for (const platform p : {platform::twitch, platform::kick}) {
        const auto name = parse_channel_name(p, "@UCSJ4gkVC6NrvII8umztf0Ow");
        CHECK(name.login == "@UCSJ4gkVC6NrvII8umztf0Ow");
        CHECK(name.channel_id.empty());
        CHECK(parse_channel_name(p, "UCSJ4gkVC6NrvII8umztf0Ow").channel_id.empty());
    }
}

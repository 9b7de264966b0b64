#include <chrono>

#include <catch2/catch.hpp>

#include "common/time/timestamp.hpp"
#include "tests/platform_mock/kick/livestream_json.hpp"

using namespace streamscope::platform_mock;
using namespace streamscope::platform_mock::kick;

namespace {

world kick_world() {
    world_options o;
    o.order = world_order::by_start;
    o.streams = 2000;
    o.channels = 3000;
    o.games = 100;
    o.seed = 5;
    return world(o, std::chrono::sys_days{std::chrono::year{2026} / 11 / 26});
}

} // namespace

TEST_CASE("every Kick item has Kick's field names and JSON types", "[unit][platform_mock]") {
    const world w = kick_world();
    int without_category = 0;
    int with_nasty_tag = 0;
    for (const auto& r : w.ranking()) {
        const auto item = livestream_json(w, w.stream(r.slot), no_category_shape::zero);
        REQUIRE(item.size() == 11);
        REQUIRE(item.at("id").is_string());
        const auto& user = item.at("broadcaster_user").as_object();
        REQUIRE(user.at("id").is_int64()); // an integer, not a string (pitfall 18)
        REQUIRE(user.at("username").is_string());
        REQUIRE(user.at("profile_picture").is_string());
        REQUIRE(item.at("channel").as_object().at("slug").is_string());
        const auto& category = item.at("category").as_object();
        REQUIRE(category.at("id").is_int64());
        REQUIRE(category.at("name").is_string());
        REQUIRE(category.at("thumbnail").is_string());
        if (category.at("id").as_int64() == 0) {
            ++without_category;
            CHECK(category.at("name").as_string().empty());
        }
        REQUIRE(item.at("title").is_string());
        REQUIRE(item.at("language_code").is_string());
        REQUIRE(streamscope::time::parse_rfc3339(item.at("started_at").as_string()));
        for (const auto& tag : item.at("tags").as_array()) {
            REQUIRE(tag.is_string());
            with_nasty_tag += tag.as_string().size() > 20 ? 1 : 0;
        }
        REQUIRE(item.at("thumbnail").is_string());
        REQUIRE(item.at("viewer_count").is_int64());
        REQUIRE(item.at("has_mature_content").is_bool());

        const live_stream& s = w.stream(r.slot);
        CHECK(item.at("id").as_string() == s.id_text);
        CHECK(item.at("viewer_count").as_int64() == s.viewer_count);
        CHECK(user.at("id").as_int64() == broadcaster_id(w.channel_at(s.channel)));
    }
    CHECK(without_category > 0);
    CHECK(with_nasty_tag > 0);
}

TEST_CASE("a stream without a category shows {id 0} or null, as chosen", "[unit][platform_mock]") {
    const world w = kick_world();
    for (const auto& r : w.ranking()) {
        const live_stream& s = w.stream(r.slot);
        if (w.game_of(w.channel_at(s.channel)) == nullptr) {
            CHECK(livestream_json(w, s, no_category_shape::null).at("category").is_null());
            const auto zero = livestream_json(w, s, no_category_shape::zero).at("category");
            CHECK(zero == boost::json::object{{"id", 0}, {"name", ""}, {"thumbnail", ""}});
            return;
        }
    }
    FAIL("no stream without a category");
}

TEST_CASE("the same stream renders the same on every page", "[unit][platform_mock]") {
    const world w = kick_world();
    const live_stream& s = w.stream(w.ranking()[7].slot);
    CHECK(livestream_json(w, s, no_category_shape::zero) ==
          livestream_json(w, s, no_category_shape::zero));
}

TEST_CASE("bad_record breaks a record in each of its four ways", "[unit][platform_mock]") {
    const world w = kick_world();
    const auto good = livestream_json(w, w.stream(w.ranking()[0].slot), no_category_shape::zero);

    auto r = good;
    corrupt(r, record_corruption::null_viewer_count);
    CHECK(r.at("viewer_count").is_null());

    r = good;
    corrupt(r, record_corruption::numeric_tag);
    CHECK(r.at("tags").as_array().front().is_number());

    r = good;
    corrupt(r, record_corruption::viewer_count_overflow);
    CHECK(r.at("viewer_count").as_int64() > INT32_MAX);

    r = good;
    corrupt(r, record_corruption::missing_broadcaster_user);
    CHECK_FALSE(r.contains("broadcaster_user"));
    CHECK(r.at("id") == good.at("id"));
}

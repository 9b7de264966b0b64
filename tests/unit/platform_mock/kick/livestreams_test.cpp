#include <chrono>
#include <map>
#include <set>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "tests/platform_mock/kick/cursor.hpp"
#include "tests/platform_mock/kick/livestreams.hpp"

using namespace streamscope::platform_mock;
using namespace streamscope::platform_mock::kick;

namespace {

const streamscope::time::timestamp start = std::chrono::sys_days{std::chrono::year{2026} / 11 / 26};

// A still world unless the test ticks it: `ends` and `starts` per tick, no drift.
world make_world(std::uint32_t streams, double ends, double starts, std::uint64_t seed = 3) {
    world_options o;
    o.order = world_order::by_start;
    o.streams = streams;
    o.channels = streams * 2;
    o.games = 40;
    o.seed = seed;
    o.drift = {0, false};
    o.end = {ends, false};
    o.start = {starts, false};
    return world(o, start);
}

struct client {
    explicit client(world& listed) : w(listed) {}

    world& w;
    listing_settings settings;
    fault_effects effects;
    rng random{9};
    std::vector<corrupted_record> corrupted;

    page_context context() { return {settings, false, 77, start, &effects, &random, &corrupted}; }

    // (status, body) of GET /public/v2/livestreams?<query>
    std::pair<unsigned, boost::json::value> list(const std::string& query_text) {
        const auto q = query::parse(query_text);
        REQUIRE(q.has_value());
        const reply r = list_livestreams(w, *q, context());
        return {r.status, boost::json::parse(r.body)};
    }

    std::pair<unsigned, boost::json::value> lookup(const std::string& query_text) {
        const auto q = query::parse(query_text);
        REQUIRE(q.has_value());
        const reply r = users_livestreams(w, *q, context());
        return {r.status, boost::json::parse(r.body)};
    }
};

std::string encoded(std::string_view cursor) {
    std::string out;
    for (char c : cursor) {
        out += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
    }
    return out;
}

std::vector<std::string> ids_of(const boost::json::value& body) {
    std::vector<std::string> ids;
    for (const auto& item : body.at("data").as_array()) {
        ids.emplace_back(item.at("id").as_string());
    }
    return ids;
}

std::string next_cursor(const boost::json::value& body) {
    const auto* p = body.as_object().at("pagination").as_object().if_contains("next_cursor");
    return p == nullptr ? "" : std::string(p->as_string());
}

// Every page from the first, `between` run after each page; the ids in the order seen.
template <typename Between>
std::vector<std::string> page_to_end(client& c, int limit, Between between) {
    std::vector<std::string> seen;
    std::string cursor;
    for (int pages = 0; pages < 1000; ++pages) {
        auto [status, body] = c.list("limit=" + std::to_string(limit) +
                                     (cursor.empty() ? "" : "&cursor=" + encoded(cursor)));
        REQUIRE(status == 200);
        for (auto& id : ids_of(body)) {
            seen.push_back(id);
        }
        cursor = next_cursor(body);
        if (cursor.empty()) {
            return seen;
        }
        between();
    }
    FAIL("the listing never ended");
    return seen;
}

std::vector<std::string> live_ids(const world& w) {
    std::vector<std::string> ids;
    for (const auto& r : w.ranking()) {
        ids.push_back(w.stream(r.slot).id_text);
    }
    return ids;
}

} // namespace

TEST_CASE("paging a still world returns every stream once, oldest first", "[unit][platform_mock]") {
    world w = make_world(950, 0, 0);
    client c{w};
    const auto seen = page_to_end(c, 100, [] {});
    CHECK(seen == live_ids(w)); // the world's listing order is oldest first (world_test)
    c.settings.cursor = cursor_mode::keyset;
    CHECK(page_to_end(c, 333, [] {}) == live_ids(w));
    CHECK(page_to_end(c, 1000, [] {}) == live_ids(w));
}

TEST_CASE("offset cursors skip one boundary's worth of streams when earlier ones end",
          "[unit][platform_mock]") {
    world w = make_world(600, 10, 0); // a world whose ticks only end streams, 10 each
    const auto before = live_ids(w);
    client c{w};
    auto [status, first] = c.list("limit=100");
    REQUIRE(status == 200);
    const auto cursor = next_cursor(first);

    // Some of the 10 that end are before the cursor, some after.
    w.tick(start + std::chrono::seconds(1));
    const auto after = live_ids(w);
    std::set<std::string> still(after.begin(), after.end());
    std::size_t ended_before_cursor = 0;
    for (std::size_t i = 0; i < 100; ++i) {
        ended_before_cursor += still.count(before[i]) == 0 ? 1 : 0;
    }
    REQUIRE(ended_before_cursor > 0);

    const auto first_ids = ids_of(first);
    std::set<std::string> seen(first_ids.begin(), first_ids.end());
    std::string next = cursor;
    while (!next.empty()) {
        auto [s, body] = c.list("limit=100&cursor=" + encoded(next));
        REQUIRE(s == 200);
        for (auto& id : ids_of(body)) {
            seen.insert(id);
        }
        next = next_cursor(body);
    }
    // The streams that moved up across the cursor are never seen: as many as ended before it.
    std::vector<std::string> missed;
    for (const auto& id : after) {
        if (!seen.count(id)) {
            missed.push_back(id);
        }
    }
    CHECK(missed.size() == ended_before_cursor);
    // And they are the first still-live streams after the page boundary.
    for (std::size_t i = 0; i < missed.size(); ++i) {
        CHECK(missed[i] == after[100 - ended_before_cursor + i]);
    }
}

TEST_CASE("keyset cursors lose nothing that stays live, whatever ends", "[unit][platform_mock]") {
    world w = make_world(600, 10, 0);
    client c{w};
    c.settings.cursor = cursor_mode::keyset;
    const auto before = live_ids(w);
    const auto seen = page_to_end(c, 100, [&] { w.tick(start + std::chrono::seconds(1)); });
    const auto after = live_ids(w);
    REQUIRE(after.size() < before.size());
    const std::set<std::string> seen_set(seen.begin(), seen.end());
    CHECK(seen_set.size() == seen.size()); // nothing twice
    for (const auto& id : after) {
        CHECK(seen_set.count(id) == 1);
    }
}

TEST_CASE("streams that start while paging come at the end, in either mode",
          "[unit][platform_mock]") {
    for (const auto mode : {cursor_mode::offset, cursor_mode::keyset}) {
        world w = make_world(500, 0, 3);
        client c{w};
        c.settings.cursor = mode;
        int ticks = 0;
        const auto seen = page_to_end(
            c, 100, [&] { w.tick(start + std::chrono::hours(1) + std::chrono::seconds(++ticks)); });
        CHECK(seen == live_ids(w)); // the new ones included, last
        CHECK(seen.size() == 500 + 3 * static_cast<std::size_t>(ticks));
    }
}

TEST_CASE("the last page says next_cursor \"\", nothing, or either", "[unit][platform_mock]") {
    world w = make_world(50, 0, 0);
    client c{w};
    auto [s1, body1] = c.list("limit=100");
    CHECK(body1.at("pagination").at("next_cursor") == "");
    c.settings.last_page = last_page_cursor::absent;
    auto [s2, body2] = c.list("limit=100");
    CHECK(body2.at("pagination").as_object().empty());
    c.settings.last_page = last_page_cursor::random;
    std::set<bool> shapes;
    for (int i = 0; i < 20; ++i) {
        auto [s, body] = c.list("limit=100");
        shapes.insert(body.at("pagination").as_object().contains("next_cursor"));
    }
    CHECK(shapes.size() == 2);
    // A client that sends "" back starts over.
    auto [s3, again] = c.list("limit=10&cursor=");
    CHECK(ids_of(again).front() == live_ids(w).front());
}

TEST_CASE("filters, limits and cursors are checked", "[unit][platform_mock]") {
    world w = make_world(800, 0, 0);
    client c{w};
    for (const char* bad : {"limit=0", "limit=1001", "limit=ten", "cursor=abc", "category_id=x",
                            "cursor=a2ljazE6bzoyOmY5ODY5NTQyNWQzYTMwMTU%3D"}) {
        auto [status, body] = c.list(bad);
        CHECK(status == 400);
        CHECK(body.at("data").is_null());
        CHECK(body.at("message").is_string());
    }
    std::string many;
    for (int i = 0; i < 26; ++i) {
        many += "&language_code=x" + std::to_string(i);
    }
    CHECK(c.list("limit=5" + many).first == 400);
    CHECK(c.list("limit=1000").second.at("data").as_array().size() == 800);

    // A cursor belongs to its filter.
    auto [s, en] = c.list("limit=10&language_code=en");
    REQUIRE(s == 200);
    for (const auto& item : en.at("data").as_array()) {
        CHECK(item.at("language_code") == "en");
    }
    CHECK(c.list("limit=10&cursor=" + encoded(next_cursor(en))).first == 400);
    CHECK(c.list("limit=10&language_code=en&cursor=" + encoded(next_cursor(en))).first == 200);

    const auto category = en.at("data").at(0).at("category").at("id").as_int64();
    auto [s4, in_category] = c.list("limit=1000&category_id=" + std::to_string(category));
    REQUIRE_FALSE(in_category.at("data").as_array().empty());
    for (const auto& item : in_category.at("data").as_array()) {
        CHECK(item.at("category").at("id").as_int64() == category);
    }
}

TEST_CASE("the look-up by broadcaster id returns the live ones once", "[unit][platform_mock]") {
    world w = make_world(100, 0, 0);
    client c{w};
    const auto& first = w.channel_at(w.stream(w.ranking()[0].slot).channel);
    std::string offline_id;
    for (std::uint32_t i = 0; offline_id.empty(); ++i) {
        if (w.channel_at(i).live_slot == channel::offline) {
            offline_id = w.channel_at(i).user_id;
        }
    }
    auto [status, body] = c.lookup("user_id=" + first.user_id + "&user_id=" + offline_id +
                                   "&user_id=" + first.user_id + "&user_id=1");
    REQUIRE(status == 200);
    REQUIRE(body.at("data").as_array().size() == 1);
    CHECK(body.at("data").at(0).at("broadcaster_user").at("id").as_int64() ==
          broadcaster_id(first));
    CHECK(body.at("message") == "OK");

    std::string ids;
    for (int i = 0; i < 101; ++i) {
        ids += "&user_id=" + std::to_string(1000 + i);
    }
    CHECK(c.lookup(ids.substr(1)).first == 400);
    CHECK(c.lookup("").first == 400);
    CHECK(c.lookup("user_id=abc").first == 400);
}

TEST_CASE("bad_record breaks one record of the page and notes which", "[unit][platform_mock]") {
    world w = make_world(100, 0, 0);
    client c{w};
    c.effects.bad_record = record_corruption::null_viewer_count;
    auto [status, body] = c.list("limit=20");
    REQUIRE(status == 200);
    REQUIRE(c.corrupted.size() == 1);
    CHECK(c.corrupted[0].how == record_corruption::null_viewer_count);
    CHECK(c.corrupted[0].path == "/public/v2/livestreams");
    int nulls = 0;
    for (const auto& item : body.at("data").as_array()) {
        if (item.at("viewer_count").is_null()) {
            ++nulls;
            CHECK(item.at("id").as_string() == c.corrupted[0].stream_id);
        }
    }
    CHECK(nulls == 1);
}

TEST_CASE("Kick cursors round-trip and reject what the mock did not make",
          "[unit][platform_mock]") {
    const listing_cursor offset{listing_cursor::kind::offset, 1200, 0, 0, 0xfeed};
    const auto o = decode_cursor(encode_cursor(offset));
    REQUIRE(o);
    CHECK(o->type == listing_cursor::kind::offset);
    CHECK(o->offset == 1200);
    CHECK(o->scope == 0xfeed);
    const listing_cursor keyset{listing_cursor::kind::keyset, 0, -1'795'000'000'123'456'789,
                                40'000'000'123, 7};
    const auto k = decode_cursor(encode_cursor(keyset));
    REQUIRE(k);
    CHECK(k->type == listing_cursor::kind::keyset);
    CHECK(k->key == keyset.key);
    CHECK(k->stream_id == keyset.stream_id);
    for (const char* bad : {"", "abc", "a2ljazE=", "a2ljazE6bzp4OjE=", "////"}) {
        CHECK_FALSE(decode_cursor(bad));
    }
}

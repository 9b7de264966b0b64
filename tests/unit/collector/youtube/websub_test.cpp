#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "collector/youtube/websub.hpp"

using namespace streamscope::youtube;
using namespace std::chrono_literals;
using streamscope::config::secret;

namespace {
const std::string channel_a = "UCaaaaaaaaaaaaaaaaaaaaaa";
const std::string channel_b = "UCbbbbbbbbbbbbbbbbbbbbbb";
} // namespace

TEST_CASE("a push's signature is the HMAC-SHA1 of the body", "[unit][youtube]") {
    const secret key("s3cret");
    const std::string body = "<feed/>";
    const std::string good = websub_signature(body, key);
    CHECK(good.size() == 45);
    CHECK(good.starts_with("sha1="));
    CHECK(websub_signature_valid(good, body, key));
    std::string upper = good;
    for (char& c : upper) {
        c = c >= 'a' && c <= 'f' ? static_cast<char>(c - 'a' + 'A') : c;
    }
    upper.replace(0, 5, "sha1=");
    CHECK(websub_signature_valid(upper, body, key));
    CHECK_FALSE(websub_signature_valid(good, body + " ", key));
    CHECK_FALSE(websub_signature_valid(good, body, secret("other")));
    CHECK_FALSE(websub_signature_valid("", body, key));
    CHECK_FALSE(websub_signature_valid("sha256=" + good.substr(5), body, key));
    CHECK_FALSE(websub_signature_valid(good.substr(0, 44), body, key));
    CHECK_FALSE(websub_signature_valid(good.substr(0, 44) + "g", body, key));
}

TEST_CASE("a known HMAC-SHA1 vector", "[unit][youtube]") {
    // RFC 2202 test case 2.
    CHECK(websub_signature("what do ya want for nothing?", secret("Jefe")) ==
          "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST_CASE("topics, callbacks and the subscription form", "[unit][youtube]") {
    CHECK(websub_topic(channel_a) ==
          "https://www.youtube.com/xml/feeds/videos.xml?channel_id=" + channel_a);
    CHECK(websub_topic_channel(websub_topic(channel_a)) == channel_a);
    CHECK_FALSE(websub_topic_channel("https://www.youtube.com/xml/feeds/videos.xml?channel_id=x"));
    CHECK_FALSE(websub_topic_channel("https://example.org/" + channel_a));

    CHECK(websub_callback_path("https://example.org/youtube/websub") == "/youtube/websub");
    CHECK(websub_callback_path("http://127.0.0.1:8080/cb") == "/cb");
    CHECK_FALSE(websub_callback_path("https://example.org/"));
    CHECK_FALSE(websub_callback_path("https://example.org"));
    CHECK_FALSE(websub_callback_path("ftp://example.org/cb"));
    CHECK_FALSE(websub_callback_path("https://example.org/cb?x=1"));
    CHECK_FALSE(websub_callback_path("/cb"));

    CHECK(websub_form("https://e.org/cb", true, channel_a, 864000s, secret("k y")) ==
          "hub.callback=https%3A%2F%2Fe.org%2Fcb&hub.mode=subscribe&hub.topic=https%3A%2F%2Fwww."
          "youtube.com%2Fxml%2Ffeeds%2Fvideos.xml%3Fchannel_id%3D" +
              channel_a + "&hub.verify=async&hub.lease_seconds=864000&hub.secret=k%20y");
    CHECK(websub_form("https://e.org/cb", false, channel_a, 864000s, secret()) ==
          "hub.callback=https%3A%2F%2Fe.org%2Fcb&hub.mode=unsubscribe&hub.topic=https%3A%2F%2Fwww."
          "youtube.com%2Fxml%2Ffeeds%2Fvideos.xml%3Fchannel_id%3D" +
              channel_a + "&hub.verify=async");
}

TEST_CASE("renewal comes at 80% of the granted lease", "[unit][youtube]") {
    CHECK(websub_renew_after(432000s) == 345600s);
    CHECK(websub_renew_after(1000s) == 800s);
    CHECK(websub_renew_after(10s) == 60s); // never a spin
}

TEST_CASE("the hub's challenge is confirmed only for what was asked", "[unit][youtube]") {
    websub_table table;
    const auto t0 = websub_table::clock::time_point{} + 1000h;
    table.set_watchlist({channel_a}, t0);
    REQUIRE(table.next_due(t0)->channel_id == channel_a);
    CHECK(table.next_due(t0)->subscribe);
    CHECK_FALSE(table.sent(channel_a, true, t0));
    CHECK_FALSE(table.next_due(t0 + 1s)); // waiting for the verification

    using verdict = websub_table::verdict;
    // Not ours, not this mode, not a topic, no lease.
    CHECK(table.verify("subscribe", websub_topic(channel_b), 1000s, t0) == verdict::refuse);
    CHECK(table.verify("unsubscribe", websub_topic(channel_a), 0s, t0) == verdict::refuse);
    CHECK(table.verify("subscribe", "https://example.org/", 1000s, t0) == verdict::refuse);
    CHECK(table.verify("subscribe", websub_topic(channel_a), 0s, t0) == verdict::refuse);
    CHECK(table.verify("subscribe", websub_topic(channel_a), 1000s, t0) == verdict::confirm);
    CHECK(table.entries().at(channel_a).verified);
    CHECK(table.wants(channel_a));
    CHECK_FALSE(table.wants(channel_b));

    // Renewed at 800 s.
    CHECK_FALSE(table.next_due(t0 + 799s));
    REQUIRE(table.next_due(t0 + 800s));
    CHECK(table.next_due(t0 + 800s)->subscribe);

    // Channel a leaves the watchlist, b joins: a is unsubscribed, b subscribed.
    table.set_watchlist({channel_b}, t0 + 900s);
    CHECK_FALSE(table.wants(channel_a));
    CHECK(table.wants(channel_b));
    CHECK(table.verify("subscribe", websub_topic(channel_a), 1000s, t0) == verdict::refuse);
    CHECK(table.verify("unsubscribe", websub_topic(channel_a), 0s, t0) == verdict::confirm);
    CHECK_FALSE(table.entries().contains(channel_a));
}

TEST_CASE("failed requests to the hub are retried a bounded number of times", "[unit][youtube]") {
    websub_table table;
    auto now = websub_table::clock::time_point{} + 1000h;
    table.set_watchlist({channel_a}, now);
    for (int attempt = 1; attempt < websub_table::max_attempts; ++attempt) {
        REQUIRE(table.next_due(now));
        CHECK_FALSE(table.sent(channel_a, false, now));
        const auto wait = websub_table::first_retry * (1 << (attempt - 1));
        CHECK_FALSE(table.next_due(now + wait - 1s));
        now += wait;
    }
    CHECK(table.sent(channel_a, false, now)); // used up
    CHECK_FALSE(table.next_due(now + websub_table::gave_up_pause - 1s));
    CHECK(table.next_due(now + websub_table::gave_up_pause));
}

#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include "common/webhooks/subscription.hpp"

using namespace streamscope::webhooks;

namespace {

boost::system::result<subscription_filter, subscription_problem>
subscription_of(const std::string& events, const std::string& filters) {
    const boost::json::value e = boost::json::parse(events);
    const boost::json::value f = boost::json::parse(filters);
    return read_subscription(&e, &f);
}

event_facts live_facts(std::string_view platform, std::string_view channel, std::string_view game,
                       std::optional<std::int64_t> viewers) {
    return {"stream.live", platform, channel, "509658", game, viewers};
}

} // namespace

TEST_CASE("a subscription's filters have the live feed's meaning", "[unit][webhooks]") {
    const auto any = subscription_of("[]", "{}");
    REQUIRE(any.has_value());
    CHECK(any->matches(live_facts("twitch", "a", "", std::nullopt)));

    const auto f = subscription_of(R"(["stream.live", "stream.ended"])",
                                   R"({"platform": ["kick", "twitch"], "channel": "XQC,shroud",
                            "game": ["just chatting"], "min_viewers": 1000})");
    REQUIRE(f.has_value());
    CHECK(f->matches(live_facts("kick", "xQc", "Just Chatting", 1000)));
    CHECK_FALSE(f->matches(live_facts("youtube", "xqc", "Just Chatting", 5000)));      // platform
    CHECK_FALSE(f->matches(live_facts("kick", "other", "Just Chatting", 5000)));       // channel
    CHECK_FALSE(f->matches(live_facts("kick", "xqc", "Chess", 5000)));                 // game
    CHECK_FALSE(f->matches(live_facts("kick", "xqc", "Just Chatting", 999)));          // viewers
    CHECK_FALSE(f->matches(live_facts("kick", "xqc", "Just Chatting", std::nullopt))); // hidden
    event_facts ended = live_facts("kick", "xqc", "Just Chatting", 1000);
    ended.type = "top.entered";
    CHECK_FALSE(f->matches(ended)); // type

    const auto by_id = subscription_of("[]", R"({"game": "509658"})");
    REQUIRE(by_id.has_value());
    CHECK(by_id->matches(live_facts("twitch", "a", "Anything", std::nullopt)));

    // Stored and read back, the same filter.
    const std::string stored = boost::json::serialize(filters_json(*f));
    const auto again = subscription_of(R"(["stream.live", "stream.ended"])", stored);
    REQUIRE(again.has_value());
    CHECK(boost::json::serialize(filters_json(*again)) == stored);
}

TEST_CASE("a subscription's mistakes are refused by field", "[unit][webhooks]") {
    CHECK(subscription_of(R"(["stream.begun"])", "{}").error().field == "events");
    CHECK(subscription_of("[]", R"({"colour": "red"})").error().field == "filters.colour");
    CHECK(subscription_of("[]", R"({"platform": ["mixer"]})").error().field == "filters.platform");
    CHECK(subscription_of("[]", R"({"min_viewers": -1})").error().field == "filters.min_viewers");
    CHECK(subscription_of("[]", R"({"channel": [1]})").error().field == "filters.channel");
    CHECK(subscription_of("[]", "[]").error().field == "filters");
    std::string many = "[";
    for (int i = 0; i < 101; ++i) {
        many += (i ? ",\"c" : "\"c") + std::to_string(i) + "\"";
    }
    CHECK(subscription_of("[]", R"({"channel": )" + many + "]}").error().field ==
          "filters.channel");
}

TEST_CASE("formats and mailto addresses", "[unit][webhooks]") {
    CHECK(parse_target_format("discord") == target_format::discord);
    CHECK_FALSE(parse_target_format("xml"));
    CHECK(to_string(target_format::email) == "email");
    CHECK(mailto_address("mailto:ops@example.com") == "ops@example.com");
    CHECK_FALSE(mailto_address("mailto:not an address"));
    CHECK_FALSE(mailto_address("https://example.com"));
    CHECK_FALSE(mailto_address("mailto:a@b.com,c@d.com"));
}

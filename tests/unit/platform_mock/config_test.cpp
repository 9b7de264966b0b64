#include <catch2/catch.hpp>

#include "tests/platform_mock/config.hpp"

using namespace streamscope::platform_mock;

namespace {

mock_config parse(std::vector<const char*> args, std::vector<std::string>& problems) {
    args.insert(args.begin(), "streamscope-mock");
    return parse_command_line(static_cast<int>(args.size()), args.data(), problems);
}

} // namespace

TEST_CASE("the mock's Kick flags fill Kick's settings and leave Twitch's alone",
          "[unit][platform_mock]") {
    std::vector<std::string> problems;
    const auto config = parse({"--kick-streams",
                               "300",
                               "--kick-categories=20",
                               "--kick-client-id",
                               "k-id",
                               "--kick-client-secret",
                               "k-secret",
                               "--kick-rate-limit-per-minute",
                               "7",
                               "--kick-retry-after",
                               "off",
                               "--kick-churn",
                               "--kick-end-per-request",
                               "2",
                               "--kick-cursor",
                               "keyset",
                               "--kick-last-page-cursor",
                               "absent",
                               "--kick-no-category",
                               "null",
                               "--kick-fault",
                               "bad_record:3",
                               "--streams",
                               "40",
                               "--fault",
                               "5xx"},
                              problems);
    CHECK(problems.empty());
    const auto& kick = config.service.kick;
    CHECK(kick.world.streams == 300);
    CHECK(kick.world.channels == 1000);
    CHECK(kick.world.games == 20);
    CHECK(kick.world.order == world_order::by_start);
    CHECK(kick.client_id == "k-id");
    CHECK(kick.client_secret == "k-secret");
    CHECK(kick.rate_limit_per_minute == 7);
    CHECK(kick.retry_after == kick::retry_after_mode::off);
    CHECK(kick.churn);
    CHECK(kick.world.end.value == 2);
    CHECK(kick.listing.cursor == kick::cursor_mode::keyset);
    CHECK(kick.listing.last_page == kick::last_page_cursor::absent);
    CHECK(kick.listing.no_category == kick::no_category_shape::null);
    REQUIRE(kick.faults.size() == 1);
    CHECK(kick.faults[0].path == "/public/");
    CHECK(kick.faults[0].count == 3);

    const auto& twitch = config.service.twitch;
    CHECK(twitch.world.streams == 40);
    CHECK(twitch.world.order == world_order::by_viewers);
    CHECK(twitch.client_id == "mock-client-id");
    CHECK_FALSE(twitch.churn);
    REQUIRE(twitch.faults.size() == 1);
    CHECK(twitch.faults[0].path == "/helix/");
    CHECK(kick.world.seed != twitch.world.seed);
}

TEST_CASE("the mock's Kick defaults, and bad Kick values each say why", "[unit][platform_mock]") {
    std::vector<std::string> problems;
    const auto defaults = parse({}, problems);
    CHECK(problems.empty());
    CHECK(defaults.service.kick.world.streams == 2000);
    CHECK(defaults.service.kick.client_id == "mock-kick-client-id");
    CHECK(defaults.service.kick.client_secret == "mock-kick-client-secret");

    parse({"--kick-retry-after", "sometimes", "--kick-cursor", "page", "--kick-streams", "9",
           "--kick-channels", "5", "--kick-fault", "nonsense", "--kick-no-category", "0"},
          problems);
    CHECK(problems.size() == 5);
}

TEST_CASE("the mock's YouTube flags fill YouTube's settings", "[unit][mock][youtube]") {
    std::vector<std::string> problems;
    const auto config = parse(
        {"--youtube-channels", "300", "--youtube-live-fraction=0.5", "--youtube-time-scale", "1440",
         "--youtube-api-key", "k1", "--youtube-api-key", "k2", "--youtube-daily-quota", "50",
         "--youtube-search-daily-quota", "3", "--youtube-feed-requests-per-second", "0",
         "--youtube-fault", "5xx:2", "--start-time", "2026-03-08T07:00:00Z"},
        problems);
    CHECK(problems.empty());
    const auto& youtube = config.service.youtube;
    CHECK(youtube.world.channels == 300);
    CHECK(youtube.world.live_fraction == 0.5);
    CHECK(youtube.time_scale == 1440);
    CHECK(youtube.api_keys == std::vector<std::string>{"k1", "k2"});
    CHECK(youtube.quota.daily_units == 50);
    CHECK(youtube.quota.search_daily_calls == 3);
    CHECK(youtube.feed_requests_per_second == 0);
    REQUIRE(youtube.faults.size() == 1);
    CHECK(youtube.faults[0].path == "/youtube/v3/");
    CHECK(youtube.fixed_start.has_value());

    const auto defaults = parse({}, problems);
    CHECK(defaults.service.youtube.api_keys == std::vector<std::string>{"mock-youtube-api-key"});
    CHECK(defaults.service.youtube.world.channels == 2000);

    parse(
        {"--youtube-live-fraction", "0", "--youtube-time-scale", "-1", "--youtube-api-key", "a b"},
        problems);
    CHECK(problems.size() == 3);
}

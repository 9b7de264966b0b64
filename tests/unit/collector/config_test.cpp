#include <catch2/catch.hpp>

#include "collector/settings/options.hpp"
#include "collector/settings/settings.hpp"

using namespace streamscope;

namespace {
constexpr auto table = collector::collector_options;

collector::collector_settings load(std::vector<const char*> args,
                                   std::vector<std::string>& problems, bool needs_twitch = true) {
    args.insert(args.begin(), "prog");
    args.push_back("--env-file=/dev/null");
    const auto s =
        config::settings::load(static_cast<int>(args.size()), args.data(), table, problems);
    return collector::load_collector_settings(s, needs_twitch, problems);
}
} // namespace

TEST_CASE("collector defaults", "[unit][config]") {
    std::vector<std::string> problems;
    const auto s = load({"--twitch-client-id", "id", "--twitch-client-secret", "sec"}, problems);
    CHECK(problems.empty());
    CHECK_FALSE(s.once);
    CHECK(s.twitch.api.host == "api.twitch.tv");
    CHECK(s.twitch.api.port == "443");
    CHECK(s.twitch.api.base_path == "/helix");
    CHECK(s.twitch.auth.base_path == "/oauth2");
    CHECK(s.twitch.max_streams == 0);
    CHECK(s.twitch.channel_refresh == std::chrono::hours(24));
    CHECK(s.twitch.credentials.client_secret.reveal() == "sec");
}

TEST_CASE("the once switch and lists are parsed", "[unit][config]") {
    std::vector<std::string> problems;
    const auto s = load({"--once", "--twitch-client-id", "id", "--twitch-client-secret", "sec",
                         "--twitch-languages", " en, de,,en ", "--twitch-game-ids", "509658",
                         "--twitch-api-base-url", "https://127.0.0.1:8443/helix/"},
                        problems);
    CHECK(problems.empty());
    CHECK(s.once);
    CHECK(s.twitch.languages == std::vector<std::string>{"en", "de"});
    CHECK(s.twitch.game_ids == std::vector<std::string>{"509658"});
    CHECK(s.twitch.api.host == "127.0.0.1");
    CHECK(s.twitch.api.port == "8443");
    CHECK(s.twitch.api.base_path == "/helix");
}

TEST_CASE("every bad value is one line", "[unit][config]") {
    std::vector<std::string> problems;
    load({"--twitch-api-base-url", "http://api.twitch.tv/helix", "--max-streams-per-collection",
          "lots", "--twitch-languages", "english", "--channel-refresh-hours", "0", "--once=maybe"},
         problems);
    REQUIRE(problems.size() == 7);
    CHECK(problems[0] == "ONCE must be true or false, got 'maybe'");
    CHECK(problems[1].starts_with("TWITCH_CLIENT_ID is required"));
    CHECK(problems[2].starts_with("TWITCH_CLIENT_SECRET is required"));
    CHECK(problems[3].starts_with("TWITCH_API_BASE_URL must be an https:// URL"));
    CHECK(problems[4] == "TWITCH_LANGUAGES: 'english' is not a valid value");
    CHECK(problems[5].starts_with("MAX_STREAMS_PER_COLLECTION must be a whole number"));
    CHECK(problems[6].starts_with("CHANNEL_REFRESH_HOURS must be a whole number"));
}

TEST_CASE("migrate needs no Twitch credentials", "[unit][config]") {
    std::vector<std::string> problems;
    load({}, problems, /*needs_twitch=*/false);
    CHECK(problems.empty());
}

TEST_CASE("retention: raw snapshots 30 days, rollups for ever, rollups never shorter",
          "[unit][config]") {
    std::vector<std::string> problems;
    const auto defaults =
        load({"--twitch-client-id", "id", "--twitch-client-secret", "s"}, problems);
    CHECK(problems.empty());
    CHECK(defaults.retention.raw_days == 30);
    CHECK(defaults.retention.rollup_days == 0);

    const auto set = load({"--twitch-client-id", "id", "--twitch-client-secret", "s",
                           "--raw-retention-days", "7", "--rollup-retention-days", "400"},
                          problems);
    CHECK(problems.empty());
    CHECK(set.retention.raw_days == 7);
    CHECK(set.retention.rollup_days == 400);

    load({"--twitch-client-id", "id", "--twitch-client-secret", "s", "--raw-retention-days", "60",
          "--rollup-retention-days", "30"},
         problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("ROLLUP_RETENTION_DAYS") != std::string::npos);
    problems.clear();
    load({"--twitch-client-id", "id", "--twitch-client-secret", "s", "--raw-retention-days", "-1"},
         problems);
    CHECK(problems.size() == 1);
}

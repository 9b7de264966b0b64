#include <catch2/catch.hpp>

#include "common/model/platform.hpp"

using namespace streamscope::model;

TEST_CASE("each platform says what its figures cover", "[unit][common]") {
    CHECK(coverage_of(platform::twitch) == platform_coverage::all_live_streams);
    CHECK(coverage_of(platform::kick) == platform_coverage::all_live_streams);
    CHECK(coverage_of(platform::youtube) == platform_coverage::watchlist);
    CHECK(to_string(platform_coverage::all_live_streams) == "all_live_streams");
    CHECK(to_string(platform_coverage::watchlist) == "watchlist");
}

TEST_CASE("youtube is a platform of every list", "[unit][common]") {
    CHECK(parse_platform("youtube") == platform::youtube);
    CHECK(platform_from_id(3) == platform::youtube);
    CHECK(platform_names() == "twitch, kick, youtube");
}

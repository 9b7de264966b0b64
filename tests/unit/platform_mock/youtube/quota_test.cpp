#include <catch2/catch.hpp>

#include "tests/platform_mock/youtube/quota.hpp"

using namespace streamscope;
using namespace streamscope::platform_mock::youtube;

namespace {

time::timestamp at(std::string_view rfc3339) {
    const auto t = time::parse_rfc3339(rfc3339);
    REQUIRE(t);
    return *t;
}

} // namespace

TEST_CASE("The quota ledger refuses what the day cannot pay and refills at Pacific midnight",
          "[unit][mock][youtube]") {
    quota_ledger ledger({.daily_units = 3, .search_daily_calls = 1});
    const auto morning = at("2026-07-01T06:00:00Z"); // 23:00 on June 30 in Los Angeles
    CHECK(ledger.charge("k", "videos.list", quota_bucket::shared, 2, morning));
    CHECK_FALSE(ledger.charge("k", "videos.list", quota_bucket::shared, 2, morning));
    CHECK(ledger.charge("k", "channels.list", quota_bucket::shared, 1, morning));
    CHECK_FALSE(ledger.charge("k", "channels.list", quota_bucket::shared, 1, morning));
    // Search has its own bucket; another key its own ledger.
    CHECK(ledger.charge("k", "search.list", quota_bucket::search, 1, morning));
    CHECK_FALSE(ledger.charge("k", "search.list", quota_bucket::search, 1, morning));
    CHECK(ledger.charge("other", "videos.list", quota_bucket::shared, 3, morning));

    auto state = ledger.describe(at("2026-07-01T06:59:59Z"));
    CHECK(state.at("day") == "2026-06-30");
    CHECK(state.at("next_reset_at") == "2026-07-01T07:00:00Z");
    const auto& k = state.at("keys").at("k");
    CHECK(k.at("units") == 3);
    CHECK(k.at("search_calls") == 1);
    CHECK(k.at("refused") == 3);
    CHECK(k.at("by_method").at("videos.list") == 2);

    CHECK(ledger.charge("k", "videos.list", quota_bucket::shared, 3, at("2026-07-01T07:00:00Z")));
    state = ledger.describe(at("2026-07-01T07:00:00Z"));
    CHECK(state.at("day") == "2026-07-01");
    CHECK(state.at("keys").at("k").at("units") == 3);
    CHECK_FALSE(state.at("keys").as_object().contains("other"));
}

TEST_CASE("A test sets what a key has spent today, and resets the ledger",
          "[unit][mock][youtube]") {
    quota_ledger ledger({.daily_units = 10'000, .search_daily_calls = 100});
    const auto noon = at("2026-01-15T20:00:00Z");
    ledger.set_spent("k", 9'999, 100, noon);
    CHECK(ledger.charge("k", "videos.list", quota_bucket::shared, 1, noon));
    CHECK_FALSE(ledger.charge("k", "videos.list", quota_bucket::shared, 1, noon));
    CHECK_FALSE(ledger.charge("k", "search.list", quota_bucket::search, 1, noon));
    ledger.reset();
    CHECK(ledger.charge("k", "search.list", quota_bucket::search, 1, noon));
}

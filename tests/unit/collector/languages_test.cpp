#include <algorithm>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "collector/twitch/languages.hpp"

using namespace streamscope::twitch;

TEST_CASE("Twitch's list is split by language: every language in exactly one part",
          "[unit][helix]") {
    const auto parts = language_parts({});
    std::multiset<std::string> all;
    for (const auto& part : parts) {
        CHECK(!part.empty());
        CHECK(part.size() <= 100); // Helix's limit of values per parameter
        all.insert(part.begin(), part.end());
    }
    CHECK(all.size() == 185); // ISO 639-1 and "other"
    CHECK(std::set<std::string>(all.begin(), all.end()).size() == all.size());
    for (const std::string& code : all) {
        CHECK(is_stream_language(code));
    }
    // The largest languages on their own, English first.
    REQUIRE(parts.size() >= 10);
    CHECK(parts[0] == std::vector<std::string>{"en"});
    CHECK(parts[1] == std::vector<std::string>{"es"});
    CHECK(std::find(parts.begin(), parts.end(), std::vector<std::string>{"other"}) != parts.end());
    CHECK_FALSE(is_stream_language("xx"));
    CHECK_FALSE(is_stream_language("zh-hk"));
}

TEST_CASE("chosen languages are each a part of their own", "[unit][helix]") {
    CHECK(language_parts({"de", "fr"}) == std::vector<std::vector<std::string>>{{"de"}, {"fr"}});
}

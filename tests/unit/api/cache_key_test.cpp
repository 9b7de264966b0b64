#include <catch2/catch.hpp>

#include "api/cache/answer_cache.hpp"

using streamscope::api::cache_key;

TEST_CASE("a request spelled differently has one cache key", "[unit][api][cache]") {
    const auto key = cache_key("/live/top", "limit=5&platform=twitch");
    REQUIRE(key);
    CHECK(cache_key("/live/top", "platform=twitch&limit=5") == key);
    CHECK(cache_key("/live/top", "platform=%74witch&limit=%35") == key);
    CHECK(cache_key("/live/top", "limit=5&platform=kick") != key);
    CHECK(cache_key("/live/streams", "limit=5&platform=twitch") != key);
    CHECK(cache_key("/live/top", "") != cache_key("/live/top", "limit=5"));
}

TEST_CASE("cache keys cannot be forged from another split", "[unit][api][cache]") {
    // Decoded '&' and '=' inside values must not make another request's key.
    CHECK(cache_key("/search/channels", "q=a%26limit%3D5") !=
          cache_key("/search/channels", "q=a&limit=5"));
    CHECK(cache_key("/a", "b=c") != cache_key("/ab", "=c"));
    // Repeated names keep their order: the handler refuses them, but never from another's key.
    CHECK(cache_key("/x", "q=1&q=2") != cache_key("/x", "q=2&q=1"));
}

TEST_CASE("a query that cannot be decoded has no cache key", "[unit][api][cache]") {
    CHECK_FALSE(cache_key("/live/top", "limit=%zz"));
    CHECK_FALSE(cache_key("/live/top", "q=a b"));
}

#include <catch2/catch.hpp>

#include "collector/sweep/stream_set.hpp"

using streamscope::collector::stream_set;
using streamscope::model::stream_observation;

namespace {
stream_observation stream(std::string id, std::string user, int viewers) {
    stream_observation s;
    s.platform_stream_id = std::move(id);
    s.platform_user_id = std::move(user);
    s.viewer_count = viewers;
    return s;
}
} // namespace

TEST_CASE("a stream seen on two pages is kept once, with its later sighting", "[unit][sweep]") {
    stream_set set;
    CHECK(set.add(stream("s1", "u1", 10)));
    CHECK(set.add(stream("s2", "u2", 9)));
    CHECK_FALSE(set.add(stream("s1", "u1", 12)));
    CHECK(set.size() == 2);
    CHECK(set.duplicates() == 1);
    CHECK(set.streams()[0].viewer_count == 12);
    CHECK(set.has_channel("u2"));
    CHECK_FALSE(set.has_channel("u3"));
}

TEST_CASE("a channel that restarted during the sweep keeps its newer broadcast", "[unit][sweep]") {
    stream_set set;
    set.add(stream("old", "u1", 10));
    set.add(stream("new", "u1", 3));
    CHECK(set.size() == 1);
    CHECK(set.stream_of("u1") == "new");
    CHECK(set.stream_of("nobody").empty());
    auto streams = set.take();
    CHECK(streams.size() == 1);
    CHECK(set.size() == 0);
    CHECK_FALSE(set.has_channel("u1"));
}

TEST_CASE("a sighting looked for again on purpose is no duplicate", "[unit][sweep]") {
    stream_set set;
    CHECK(set.add(stream("s1", "u1", 10)));
    CHECK_FALSE(set.add_again(stream("s1", "u1", 11)));
    CHECK(set.add_again(stream("s2", "u2", 3)));
    CHECK(set.size() == 2);
    CHECK(set.duplicates() == 0);
    CHECK(set.streams()[0].viewer_count == 11);
}

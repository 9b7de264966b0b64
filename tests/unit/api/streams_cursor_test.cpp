#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "api/handlers/live/streams_cursor.hpp"

using namespace streamscope::api;

namespace {

std::string hex(std::string_view text) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char c : text) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

sweep_ref sweep(int platform_id, std::int64_t started_us) {
    sweep_ref s;
    s.platform_id = platform_id;
    s.started_us = started_us;
    return s;
}

bool accepted(std::string_view text) {
    return decode_streams_cursor(hex(text)).has_value();
}

} // namespace

TEST_CASE("a /live/streams cursor decodes to the position it was made from",
          "[unit][api][cursor]") {
    streams_position at;
    at.sweeps.push_back(sweep(1, 1'764'064'800'000'000));
    at.sweeps.push_back(sweep(2, 1'764'064'790'123'456));
    at.viewers = -1;
    at.stream_id = 42;
    const std::string cursor = encode_streams_cursor(at);
    CHECK(cursor == hex("v1|1:1764064800000000,2:1764064790123456|-1|42"));
    const auto back = decode_streams_cursor(cursor);
    REQUIRE(back);
    REQUIRE(back->sweeps.size() == 2);
    CHECK(back->sweeps[1].platform_id == 2);
    CHECK(back->sweeps[1].started_us == 1'764'064'790'123'456);
    CHECK(back->viewers == -1);
    CHECK(back->stream_id == 42);
}

TEST_CASE("a cursor that is not ours is refused", "[unit][api][cursor]") {
    CHECK(accepted("v1|1:1|5|9"));
    CHECK_FALSE(decode_streams_cursor("zz"));
    CHECK_FALSE(decode_streams_cursor("763"));
    CHECK_FALSE(accepted("v2|1:1|5|9"));
    CHECK_FALSE(accepted("v1|1:1|5"));
    CHECK_FALSE(accepted("v1|4:1|5|9"));                  // no such platform
    CHECK_FALSE(accepted("v1|1:1|5|2147483648"));         // past streams.id
    CHECK_FALSE(accepted("v1|1:1|-2|9"));                 // -2 is "from the start", never sent
    CHECK_FALSE(accepted("v1|1:253402300800000000|5|9")); // past 9999-12-31
}

// Found by fuzz/streams_cursor_fuzz.cpp: the decoder took a trailing comma, and as it turned out
// leading zeros, "-0", uppercase hex and a platform twice, each a new spelling of a position (or
// one that no sweep set has), each a separate entry of the answer cache.
TEST_CASE("a cursor is refused unless it is spelled exactly as the API spells it",
          "[unit][api][cursor]") {
    CHECK(accepted("v1|1:5,2:7|0|9"));
    CHECK_FALSE(accepted("v1|1:5,|0|9"));
    CHECK_FALSE(accepted("v1|,1:5|0|9"));
    CHECK_FALSE(accepted("v1|1:05|0|9"));
    CHECK_FALSE(accepted("v1|1:5|00|9"));
    CHECK_FALSE(accepted("v1|1:5|-0|9"));
    CHECK_FALSE(accepted("v1|01:5|0|9"));
    CHECK_FALSE(accepted("v1|1:5|0|09"));
    CHECK_FALSE(accepted("v1|1:5,1:7|0|9")); // a platform twice
    CHECK_FALSE(accepted("v1|2:7,1:5|0|9")); // the API lists platforms in id order
    std::string upper = hex("v1|1:5|0|9");
    for (char& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    CHECK_FALSE(decode_streams_cursor(upper));
}

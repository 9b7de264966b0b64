#include <string>

#include <catch2/catch.hpp>

#include "common/http/gzip.hpp"
#include "tests/support/gunzip.hpp"

using streamscope::http::accepts_gzip;
using streamscope::testing::gunzip;

TEST_CASE("Accept-Encoding allows gzip only when named or * without q=0", "[unit][http]") {
    CHECK(accepts_gzip("gzip"));
    CHECK(accepts_gzip("gzip, deflate, br"));
    CHECK(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
    CHECK(accepts_gzip("x-gzip"));
    CHECK(accepts_gzip("*"));
    CHECK(accepts_gzip(" deflate , gzip ; q=0.001"));
    CHECK_FALSE(accepts_gzip(""));
    CHECK_FALSE(accepts_gzip("identity"));
    CHECK_FALSE(accepts_gzip("br, deflate"));
    CHECK_FALSE(accepts_gzip("gzip;q=0"));
    CHECK_FALSE(accepts_gzip("gzip;q=0.000"));
    CHECK_FALSE(accepts_gzip("*;q=0"));
    CHECK_FALSE(accepts_gzip("gzip;q=0, *")); // named beats the wildcard
    CHECK(accepts_gzip("*;q=0, gzip"));
    CHECK_FALSE(accepts_gzip("gzipped"));
}

TEST_CASE("gzip bodies decompress to what went in, whole or in pieces", "[unit][http]") {
    std::string text;
    for (int i = 0; i < 20000; ++i) {
        text +=
            "{\"login\":\"user_" + std::to_string(i) + "\",\"title\":\"Grüße 🎮 \\\"quoted\\\"\"},";
    }
    const std::string packed = streamscope::http::gzip(text);
    CHECK(packed.size() < text.size() / 5);
    CHECK(gunzip(packed) == text);
    CHECK(gunzip(streamscope::http::gzip("")).empty());

    streamscope::http::gzip_stream stream;
    std::string pieces;
    for (std::size_t at = 0; at < text.size(); at += 7777) {
        pieces += stream.write(std::string_view(text).substr(at, 7777));
    }
    pieces += stream.finish();
    CHECK(gunzip(pieces) == text);
}

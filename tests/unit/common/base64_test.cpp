#include <string>

#include <catch2/catch.hpp>

#include "common/text/base64.hpp"

namespace base64 = streamscope::text::base64;

TEST_CASE("base64 matches RFC 4648's test vectors", "[unit][text][base64]") {
    // RFC 4648 section 10.
    const std::pair<std::string, std::string> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [bytes, text] : vectors) {
        INFO(bytes);
        CHECK(base64::encode(bytes) == text);
        CHECK(base64::decode(text) == bytes);
    }
}

TEST_CASE("every byte value goes through base64 and back", "[unit][text][base64]") {
    std::string bytes;
    for (int i = 0; i < 256; ++i) {
        bytes += static_cast<char>(i);
    }
    for (std::size_t size = 0; size <= bytes.size(); size += 37) {
        const std::string part = bytes.substr(0, size);
        CHECK(base64::decode(base64::encode(part)) == part);
    }
    CHECK(base64::encode("\xfb\xff\xbf") == "+/+/");
}

TEST_CASE("base64url has its own two characters and no padding", "[unit][text][base64]") {
    CHECK(base64::encode_url("\xfb\xff\xbf") == "-_-_");
    CHECK(base64::encode_url("f") == "Zg");
    CHECK(base64::encode_url("fo") == "Zm8");
    CHECK(base64::encode_url("foo") == "Zm9v");
    CHECK(base64::encode_url(std::string(32, '\0')).size() == 43);
}

TEST_CASE("base64 decoding is strict", "[unit][text][base64]") {
    CHECK_FALSE(base64::decode("Zg="));      // not a multiple of 4
    CHECK_FALSE(base64::decode("Zg==Zg==")); // padding before the end
    CHECK_FALSE(base64::decode("Z==="));     // more padding than a quantum has
    CHECK_FALSE(base64::decode("Zm9v\n"));   // a line break
    CHECK_FALSE(base64::decode("Zm 9"));     // a blank
    CHECK_FALSE(base64::decode("-_-_"));     // the URL-safe alphabet
    CHECK_FALSE(base64::decode("Zg=a"));     // data after padding
}

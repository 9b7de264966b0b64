#include <boost/json/object.hpp>
#include <catch2/catch.hpp>

#include "common/json/text.hpp"

using namespace streamscope;

TEST_CASE("numbers are written without exponents, strings untouched", "[unit][json]") {
    CHECK(json::plain_number(6.0) == "6");
    CHECK(json::plain_number(1258475.1) == "1258475.1");
    CHECK(json::plain_number(-0.25) == "-0.25");
    CHECK(json::plain_number(0) == "0");
    CHECK(json::plain_numbers(
              R"({"a":6E0,"b":1.2584751E6,"c":"1E5 stays","d":[-2.5E-1,7],"e":1E300})") ==
          R"({"a":6,"b":1258475.1,"c":"1E5 stays","d":[-0.25,7],"e":1e+300})");
    CHECK(json::plain_numbers(R"({"t":"quote \" 1E2 \\","n":3E1})") ==
          R"({"t":"quote \" 1E2 \\","n":30})");
    CHECK(json::serialize(boost::json::object{{"interval_s", 300.0}, {"age_s", 99.75}}) ==
          R"({"interval_s":300,"age_s":99.75})");
}

TEST_CASE("string literals stay JSON whatever bytes they hold", "[unit][json]") {
    CHECK(json::quote("plain") == R"("plain")");
    CHECK(json::quote("a\"b\\c\n\x01") == R"("a\"b\\c\u000a\u0001")");
    CHECK(json::quote("caf\xC3\xA9 \xF0\x9F\x8E\xAE") == "\"caf\xC3\xA9 \xF0\x9F\x8E\xAE\"");
    // A stray continuation byte, a cut-short sequence, an overlong one, a surrogate.
    CHECK(json::quote("a\x80z") == R"("a\ufffdz")");
    CHECK(json::quote("\xE2\x82") == R"("\ufffd\ufffd")");
    CHECK(json::quote("\xC0\xAF") == R"("\ufffd\ufffd")");
    CHECK(json::quote("\xED\xA0\x80") == R"("\ufffd\ufffd\ufffd")");
}

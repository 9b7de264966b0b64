#include <string>

#include <catch2/catch.hpp>

#include "api/params/query_params.hpp"

using streamscope::api::query_params;

namespace {

// The parameter named by the first problem of `raw` at a route taking q and limit, or "" when
// there is none.
std::string refused(const std::string& raw) {
    const query_params params(raw, {"q", "limit"});
    return params.error() ? params.error()->parameter : "";
}

} // namespace

TEST_CASE("query values are percent-decoded", "[unit][api][params]") {
    query_params params("q=%E6%97%A5+x%2Fy&limit=5", {"q", "limit"});
    CHECK(params.text("q") == "日 x/y");
    CHECK(params.integer("limit", 1, 10, 1) == 5);
    CHECK_FALSE(params.error());
}

TEST_CASE("a malformed query is refused, naming its parameter", "[unit][api][params]") {
    CHECK(refused("limit=%zz") == "limit");
    CHECK(refused("q=ok&limit=5%") == "limit");
    CHECK(refused("q=%%%%x") == "q");
    CHECK(refused("q=a b") == "q");
    const query_params params("limit=%zz", {"limit"});
    REQUIRE(params.error());
    CHECK(params.error()->message.find("percent-encoded") != std::string::npos);
}

TEST_CASE("text the database cannot store is refused, naming its parameter",
          "[unit][api][params]") {
    CHECK(refused("q=%FF%FE") == "q");
    CHECK(refused("q=%C3%28") == "q");
    CHECK(refused("q=%C0%80") == "q"); // an overlong NUL
    CHECK(refused("q=%ED%A0%80") == "q");
    CHECK(refused("q=a%00b") == "q");
    CHECK(refused("limit=1&q=\xFF") == "q"); // raw bytes must be encoded
    query_params params("q=%FF", {"q"});
    CHECK_FALSE(params.text("q")); // not kept: no handler ever sees it
    CHECK(params.error()->message == "must be UTF-8 text without NUL characters");
    CHECK(refused("%FF=1") == "\xFF"); // named as given; the answer repairs it for JSON
}

TEST_CASE("unknown and repeated parameters are refused", "[unit][api][params]") {
    CHECK(refused("q=a&q=b") == "q");
    CHECK(refused("sort=x") == "sort");
    CHECK(refused("q=a&limit=2").empty());
}

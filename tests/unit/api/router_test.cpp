#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <catch2/catch.hpp>

#include "api/http/router.hpp"

namespace http = boost::beast::http;
using namespace streamscope::api;

namespace {

// A handler that is never run: the router tests only look at which route was chosen.
handler any_handler() {
    return [](request_context&) -> boost::asio::awaitable<response> {
        response empty;
        co_return empty;
    };
}

router sample() {
    router r;
    r.add(http::verb::get, "/", any_handler());
    r.add(http::verb::get, "/channels", any_handler());
    r.add(http::verb::get, "/channels/{platform}/{login}", any_handler());
    r.add(http::verb::get, "/channels/{platform}/top", any_handler());
    r.add(http::verb::delete_, "/channels/{platform}/{login}", any_handler());
    r.add(http::verb::post, "/sweeps", any_handler());
    return r;
}

} // namespace

TEST_CASE("percent_decode", "[unit][api]") {
    CHECK(percent_decode("abc") == "abc");
    CHECK(percent_decode("a%2Fb%2fc") == "a/b/c");
    CHECK(percent_decode("%E2%82%AC") == "\xE2\x82\xAC");
    CHECK(percent_decode("a+b") == "a+b"); // '+' is a space only in queries
    CHECK(percent_decode("%00") == std::string(1, '\0'));
    CHECK(percent_decode("") == "");
    CHECK_FALSE(percent_decode("%"));
    CHECK_FALSE(percent_decode("%4"));
    CHECK_FALSE(percent_decode("%zz"));
    CHECK_FALSE(percent_decode("ab%g1"));
}

TEST_CASE("the router finds routes and their parameters", "[unit][api]") {
    const router r = sample();

    const auto root = r.match(http::verb::get, "/");
    CHECK(root.result == router::outcome::found);
    CHECK(root.pattern == "/");
    CHECK(root.params.empty());
    REQUIRE(root.target != nullptr);

    const auto channel = r.match(http::verb::get, "/channels/twitch/shroud");
    REQUIRE(channel.result == router::outcome::found);
    CHECK(channel.pattern == "/channels/{platform}/{login}");
    CHECK(channel.params.size() == 2);
    CHECK(channel.params.at("platform") == "twitch");
    CHECK(channel.params.at("login") == "shroud");

    SECTION("a literal beats a parameter in the same place") {
        const auto top = r.match(http::verb::get, "/channels/twitch/top");
        CHECK(top.pattern == "/channels/{platform}/top");
        CHECK(top.params.at("platform") == "twitch");
        CHECK_FALSE(top.params.contains("login"));
        // ...unless the literal route lacks the method.
        const auto forget = r.match(http::verb::delete_, "/channels/twitch/top");
        CHECK(forget.result == router::outcome::found);
        CHECK(forget.pattern == "/channels/{platform}/{login}");
        CHECK(forget.params.at("login") == "top");
    }
    SECTION("segments are decoded after the split") {
        const auto odd = r.match(http::verb::get, "/channels/twitch/a%2Fb%20c%25");
        REQUIRE(odd.result == router::outcome::found);
        CHECK(odd.pattern == "/channels/{platform}/{login}");
        CHECK(odd.params.at("login") == "a/b c%");
        // Literals match their decoded form too.
        CHECK(r.match(http::verb::get, "/%63hannels").pattern == "/channels");
    }
    SECTION("HEAD is served by the GET route") {
        const auto head = r.match(http::verb::head, "/channels/twitch/shroud");
        CHECK(head.result == router::outcome::found);
        CHECK(head.target == channel.target);
    }
    SECTION("not found") {
        for (const char* path : {"/nope", "/channels/", "/channels/twitch", "/channels//x",
                                 "/channels/twitch/shroud/more", "channels", "", "*",
                                 "/channels/twitch/%zz", "/sweeps/"}) {
            INFO(path);
            const auto miss = r.match(http::verb::get, path);
            CHECK(miss.result == router::outcome::not_found);
            CHECK(miss.target == nullptr);
            CHECK(miss.allowed.empty());
        }
    }
}

TEST_CASE("the router lists the allowed methods of a path for 405", "[unit][api]") {
    const router r = sample();
    const auto post = r.match(http::verb::post, "/channels/twitch/shroud");
    CHECK(post.result == router::outcome::method_not_allowed);
    CHECK(post.target == nullptr);
    CHECK(post.pattern == "/channels/{platform}/{login}");
    CHECK(post.allowed ==
          std::vector<http::verb>{http::verb::delete_, http::verb::get, http::verb::head});

    // Every route that fits the path counts, not only the most specific one.
    const auto top = r.match(http::verb::put, "/channels/twitch/top");
    CHECK(top.pattern == "/channels/{platform}/top");
    CHECK(top.allowed ==
          std::vector<http::verb>{http::verb::delete_, http::verb::get, http::verb::head});

    const auto get = r.match(http::verb::get, "/sweeps");
    CHECK(get.result == router::outcome::method_not_allowed);
    CHECK(get.allowed == std::vector<http::verb>{http::verb::post});
    // No GET route, so no HEAD either.
    CHECK(r.match(http::verb::head, "/sweeps").result == router::outcome::method_not_allowed);
    CHECK(r.match(http::verb::options, "/").allowed ==
          std::vector<http::verb>{http::verb::get, http::verb::head});
}

TEST_CASE("the router lists its routes in the order added", "[unit][api]") {
    const std::vector<std::pair<std::string, std::string>> expected{
        {"GET", "/"},
        {"GET", "/channels"},
        {"GET", "/channels/{platform}/{login}"},
        {"GET", "/channels/{platform}/top"},
        {"DELETE", "/channels/{platform}/{login}"},
        {"POST", "/sweeps"},
    };
    CHECK(sample().routes() == expected);
    CHECK(router{}.routes().empty());
}

TEST_CASE("the router refuses malformed and repeated patterns", "[unit][api]") {
    router r;
    r.add(http::verb::get, "/a/{x}", any_handler());
    for (const char* pattern :
         {"", "a", "/a//b", "/a/", "/{}", "/a{x}", "/{x}y", "/{x}/{x}", "/{x{y}}", "/a/{x}/}"}) {
        INFO(pattern);
        CHECK_THROWS_AS(r.add(http::verb::get, pattern, any_handler()), std::invalid_argument);
    }
    CHECK_THROWS_WITH(r.add(http::verb::get, "/a/{y}", any_handler()),
                      Catch::Contains("repeats /a/{x}"));
    CHECK_THROWS_AS(r.add(http::verb::get, "/b", handler{}), std::invalid_argument);
    // Another method, or another literal, is another route.
    CHECK_NOTHROW(r.add(http::verb::post, "/a/{y}", any_handler()));
    CHECK_NOTHROW(r.add(http::verb::get, "/a/b", any_handler()));
    CHECK(r.routes().size() == 3);
}

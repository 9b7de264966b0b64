#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <catch2/catch.hpp>

#include "common/http/router.hpp"

using boost::beast::http::verb;
using namespace streamscope::http;
namespace http = streamscope::http;

namespace {

// A handler that is never run: the router tests only look at which route was chosen.
http::handler any_handler() {
    return [](http::request_context&) -> boost::asio::awaitable<http::response> {
        http::response empty;
        co_return empty;
    };
}

http::router sample() {
    http::router r;
    r.add(verb::get, "/", any_handler());
    r.add(verb::get, "/channels", any_handler());
    r.add(verb::get, "/channels/{platform}/{login}", any_handler());
    r.add(verb::get, "/channels/{platform}/top", any_handler());
    r.add(verb::delete_, "/channels/{platform}/{login}", any_handler());
    r.add(verb::post, "/sweeps", any_handler());
    return r;
}

} // namespace

TEST_CASE("percent_decode", "[unit][http]") {
    CHECK(http::percent_decode("abc") == "abc");
    CHECK(http::percent_decode("a%2Fb%2fc") == "a/b/c");
    CHECK(http::percent_decode("%E2%82%AC") == "\xE2\x82\xAC");
    CHECK(http::percent_decode("a+b") == "a+b"); // '+' is a space only in queries
    CHECK(http::percent_decode("%00") == std::string(1, '\0'));
    CHECK(http::percent_decode("") == "");
    CHECK_FALSE(http::percent_decode("%"));
    CHECK_FALSE(http::percent_decode("%4"));
    CHECK_FALSE(http::percent_decode("%zz"));
    CHECK_FALSE(http::percent_decode("ab%g1"));
}

TEST_CASE("the router finds routes and their parameters", "[unit][http]") {
    const http::router r = sample();

    const auto root = r.match(verb::get, "/");
    CHECK(root.result == router::outcome::found);
    CHECK(root.pattern == "/");
    CHECK(root.params.empty());
    REQUIRE(root.target != nullptr);

    const auto channel = r.match(verb::get, "/channels/twitch/shroud");
    REQUIRE(channel.result == router::outcome::found);
    CHECK(channel.pattern == "/channels/{platform}/{login}");
    CHECK(channel.params.size() == 2);
    CHECK(channel.params.at("platform") == "twitch");
    CHECK(channel.params.at("login") == "shroud");

    SECTION("a literal beats a parameter in the same place") {
        const auto top = r.match(verb::get, "/channels/twitch/top");
        CHECK(top.pattern == "/channels/{platform}/top");
        CHECK(top.params.at("platform") == "twitch");
        CHECK_FALSE(top.params.contains("login"));
        // ...unless the literal route lacks the method.
        const auto forget = r.match(verb::delete_, "/channels/twitch/top");
        CHECK(forget.result == router::outcome::found);
        CHECK(forget.pattern == "/channels/{platform}/{login}");
        CHECK(forget.params.at("login") == "top");
    }
    SECTION("segments are decoded after the split") {
        const auto odd = r.match(verb::get, "/channels/twitch/a%2Fb%20c%25");
        REQUIRE(odd.result == router::outcome::found);
        CHECK(odd.pattern == "/channels/{platform}/{login}");
        CHECK(odd.params.at("login") == "a/b c%");
        // Literals match their decoded form too.
        CHECK(r.match(verb::get, "/%63hannels").pattern == "/channels");
    }
    SECTION("HEAD is served by the GET route") {
        const auto head = r.match(verb::head, "/channels/twitch/shroud");
        CHECK(head.result == router::outcome::found);
        CHECK(head.target == channel.target);
    }
    SECTION("not found") {
        for (const char* path : {"/nope", "/channels/", "/channels/twitch", "/channels//x",
                                 "/channels/twitch/shroud/more", "channels", "", "*",
                                 "/channels/twitch/%zz", "/sweeps/"}) {
            INFO(path);
            const auto miss = r.match(verb::get, path);
            CHECK(miss.result == router::outcome::not_found);
            CHECK(miss.target == nullptr);
            CHECK(miss.allowed.empty());
        }
    }
}

TEST_CASE("the router lists the allowed methods of a path for 405", "[unit][http]") {
    const http::router r = sample();
    const auto post = r.match(verb::post, "/channels/twitch/shroud");
    CHECK(post.result == router::outcome::method_not_allowed);
    CHECK(post.target == nullptr);
    CHECK(post.pattern == "/channels/{platform}/{login}");
    CHECK(post.allowed == std::vector<verb>{verb::delete_, verb::get, verb::head});

    // Every route that fits the path counts, not only the most specific one.
    const auto top = r.match(verb::put, "/channels/twitch/top");
    CHECK(top.pattern == "/channels/{platform}/top");
    CHECK(top.allowed == std::vector<verb>{verb::delete_, verb::get, verb::head});

    const auto get = r.match(verb::get, "/sweeps");
    CHECK(get.result == router::outcome::method_not_allowed);
    CHECK(get.allowed == std::vector<verb>{verb::post});
    // No GET route, so no HEAD either.
    CHECK(r.match(verb::head, "/sweeps").result == router::outcome::method_not_allowed);
    CHECK(r.match(verb::options, "/").allowed == std::vector<verb>{verb::get, verb::head});
}

TEST_CASE("the router lists its routes in the order added", "[unit][http]") {
    const std::vector<std::pair<std::string, std::string>> expected{
        {"GET", "/"},
        {"GET", "/channels"},
        {"GET", "/channels/{platform}/{login}"},
        {"GET", "/channels/{platform}/top"},
        {"DELETE", "/channels/{platform}/{login}"},
        {"POST", "/sweeps"},
    };
    CHECK(sample().routes() == expected);
    CHECK(http::router{}.routes().empty());
}

TEST_CASE("the router refuses malformed and repeated patterns", "[unit][http]") {
    http::router r;
    r.add(verb::get, "/a/{x}", any_handler());
    for (const char* pattern :
         {"", "a", "/a//b", "/a/", "/{}", "/a{x}", "/{x}y", "/{x}/{x}", "/{x{y}}", "/a/{x}/}"}) {
        INFO(pattern);
        CHECK_THROWS_AS(r.add(verb::get, pattern, any_handler()), std::invalid_argument);
    }
    CHECK_THROWS_WITH(r.add(verb::get, "/a/{y}", any_handler()), Catch::Contains("repeats /a/{x}"));
    CHECK_THROWS_AS(r.add(verb::get, "/b", http::handler{}), std::invalid_argument);
    // Another method, or another literal, is another route.
    CHECK_NOTHROW(r.add(verb::post, "/a/{y}", any_handler()));
    CHECK_NOTHROW(r.add(verb::get, "/a/b", any_handler()));
    CHECK(r.routes().size() == 3);
}

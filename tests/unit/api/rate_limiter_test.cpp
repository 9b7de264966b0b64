#include <catch2/catch.hpp>

#include "api/auth/client_address.hpp"
#include "api/auth/rate_limiter.hpp"

using namespace streamscope::api;
using namespace std::chrono_literals;
namespace ip = boost::asio::ip;
namespace http = streamscope::http;

TEST_CASE("a client may burst its minute's requests, then one per share of it",
          "[unit][api][rate]") {
    rate_limiter limits{100};
    const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
    for (unsigned i = 0; i < 60; ++i) {
        const auto v = limits.take("key 1", 60, t0);
        REQUIRE(v.allowed);
        CHECK(v.remaining == 59 - i);
    }
    auto refused = limits.take("key 1", 60, t0);
    CHECK_FALSE(refused.allowed);
    CHECK(refused.retry_after == 1s);
    CHECK(refused.reset == 60s);
    CHECK(limits.take("key 2", 60, t0).allowed); // its own bucket
    CHECK_FALSE(limits.take("key 1", 60, t0 + 500ms).allowed);
    const auto later = limits.take("key 1", 60, t0 + 1s);
    CHECK(later.allowed); // one a second comes back
    CHECK(later.remaining == 0);
    CHECK(limits.take("key 1", 60, t0 + 61s).remaining == 59); // full again after a minute
}

TEST_CASE("a slow rate asks to wait for its next request", "[unit][api][rate]") {
    rate_limiter limits{100};
    const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
    for (int i = 0; i < 5; ++i) {
        limits.take("k", 5, t0);
    }
    const auto v = limits.take("k", 5, t0 + 2s);
    CHECK_FALSE(v.allowed);
    CHECK(v.retry_after == 10s); // one every 12 s, 2 s of it gone
    CHECK(v.limit == 5);
}

TEST_CASE("the buckets kept stay within their bound", "[unit][api][rate]") {
    rate_limiter limits{1000};
    const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
    for (int i = 0; i < 50'000; ++i) {
        limits.take("address " + std::to_string(i), 60, t0);
        REQUIRE(limits.clients() <= 1000);
    }
    // Buckets that refilled go first: a client still held back keeps its bucket.
    rate_limiter few{10};
    for (int i = 0; i < 60; ++i) {
        few.take("busy", 60, t0);
    }
    for (int i = 0; i < 9; ++i) {
        few.take("idle " + std::to_string(i), 60, t0);
    }
    const auto v = few.take("new", 60, t0 + 30s); // full: the idle ones have refilled and go
    CHECK(v.allowed);
    CHECK(few.clients() == 2);
    CHECK(few.take("busy", 60, t0 + 30s).remaining == 29);
}

TEST_CASE("X-Forwarded-For names the client only behind a trusted proxy", "[unit][api][rate]") {
    std::string bad;
    const auto proxies = trusted_proxies::parse({"10.0.0.0/8", "192.168.1.7", "fd00::/8"}, bad);
    REQUIRE(proxies);
    CHECK(proxies->contains(ip::make_address("10.200.3.4")));
    CHECK_FALSE(proxies->contains(ip::make_address("11.0.0.1")));
    CHECK(proxies->contains(ip::make_address("192.168.1.7")));
    CHECK_FALSE(proxies->contains(ip::make_address("192.168.1.8")));
    CHECK(proxies->contains(ip::make_address("fd12::1")));
    CHECK(proxies->contains(ip::make_address("::ffff:10.1.1.1"))); // IPv4 on a :: socket
    CHECK_FALSE(trusted_proxies::parse({"10.0.0.0/33"}, bad));
    CHECK(bad == "10.0.0.0/33");
    CHECK_FALSE(trusted_proxies::parse({"example.org"}, bad));

    http::request req;
    req.set("X-Forwarded-For", "198.51.100.1, 203.0.113.9, 10.0.0.2");
    const auto proxy = ip::make_address("10.0.0.1");
    // Read from the right: 10.0.0.2 is a trusted proxy too; 203.0.113.9 is the client. The
    // left-most entry is whatever the client wrote.
    CHECK(client_address(req, proxy, *proxies).to_string() == "203.0.113.9");
    CHECK(client_address(req, ip::make_address("203.0.113.50"), *proxies).to_string() ==
          "203.0.113.50"); // not a proxy: its header is ignored
    req.set("X-Forwarded-For", "not-an-address");
    CHECK(client_address(req, proxy, *proxies) == proxy);
}

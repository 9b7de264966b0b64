#include <catch2/catch.hpp>

#include "common/http/listen.hpp"

using streamscope::http::host_port;

TEST_CASE("addresses are named HOST:PORT, IPv6 literals in brackets", "[unit][http]") {
    CHECK(host_port("127.0.0.1", 8000) == "127.0.0.1:8000");
    CHECK(host_port("localhost", 0) == "localhost:0");
    CHECK(host_port("::", 8081) == "[::]:8081");
    CHECK(host_port("::1", 443) == "[::1]:443");
}

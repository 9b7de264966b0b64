// The common HTTP server: deadlines, the drain, gzip and streamed answers.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "tests/support/gunzip.hpp"
#include "tests/support/live_server.hpp"

using namespace streamscope::testing;
namespace beast_http = boost::beast::http;

TEST_CASE("the server closes slow and idle connections", "[unit][http]") {
    http::server_options options;
    options.read_timeout = 1s;
    options.idle_timeout = 1s;
    live_server api(std::move(options));
    raw_client client(api.port);
    REQUIRE_FALSE(client.error);
    const auto started = steady::now();

    SECTION("a request that never completes") {
        client.write_bytes("GET /echo/a/b HTTP/1.1\r\nHost: x\r\n");
        client.read();
        CHECK(client.error);
    }
    SECTION("a request that trickles in over the read timeout") {
        client.write_bytes("GET /echo/a/b HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 3 && !client.error; ++i) {
            client.write_bytes("X-Slow: " + std::to_string(i) + "\r\n");
            std::this_thread::sleep_for(500ms);
        }
        client.read();
        CHECK(client.error);
    }
    SECTION("a kept-alive connection left idle") {
        const auto res = client.send(make_request(verb::get, "/echo/a/b"));
        REQUIRE_FALSE(client.error);
        CHECK(res.keep_alive());
        client.read();
        CHECK(client.error);
    }
    const auto took = steady::now() - started;
    CHECK(took >= 900ms);
    CHECK(took < 3s);
}

TEST_CASE("stopping the server lets requests in flight finish", "[unit][http]") {
    live_server api;
    raw_client idle(api.port);
    REQUIRE_FALSE(idle.error);
    const auto first = idle.send(make_request(verb::get, "/echo/a/b"));
    REQUIRE_FALSE(idle.error);
    CHECK(first.keep_alive());

    std::optional<raw_client> busy(std::in_place, api.port);
    REQUIRE_FALSE(busy->error);
    busy->write(make_request(verb::get, "/slow"));
    REQUIRE_FALSE(busy->error);
    for (int i = 0; i < 500 && api.slow_started == 0; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    REQUIRE(api.slow_started == 1);

    const auto stopping = steady::now();
    api.stop();
    // The idle connection is closed without waiting for its idle timeout.
    idle.read();
    CHECK(idle.error);
    CHECK(steady::now() - stopping < 400ms);

    // The slow request still gets its answer, and with it the news that the connection ends.
    const auto slow = busy->read();
    REQUIRE_FALSE(busy->error);
    CHECK(slow.result() == status::ok);
    CHECK(slow.body() == R"({"slow":true})");
    CHECK_FALSE(slow.keep_alive());
    busy.reset(); // a client told "Connection: close" closes

    // Then run() returns, and nobody is listening any more.
    for (int i = 0; i < 200 && !api.returned; ++i) {
        std::this_thread::sleep_for(10ms);
    }
    CHECK(api.returned);
    CHECK(steady::now() - stopping < 2s);
    raw_client late(api.port);
    CHECK(late.error);
}

TEST_CASE("a server stopped before it started says so at once", "[unit][http]") {
    asio::io_context io;
    http::router routes;
    http::server idle(io.get_executor(), {.host = "127.0.0.1"}, routes);
    idle.listen();
    std::optional<bool> drained;
    idle.stop(10s, [&](bool clean) { drained = clean; });
    idle.start(); // too late: it does not start
    const auto started = steady::now();
    io.run();
    CHECK(steady::now() - started < 1s);
    CHECK(drained == true);
    CHECK(idle.connections() == 0);
}

TEST_CASE("the server gzips large answers for clients that accept it", "[unit][http]") {
    live_server api;
    raw_client client(api.port);
    REQUIRE_FALSE(client.error);
    const auto accept_gzip = std::pair{field::accept_encoding, std::string("br, gzip")};

    const auto plain = client.send(make_request(verb::get, "/big"));
    REQUIRE_FALSE(client.error);
    CHECK(plain.count(field::content_encoding) == 0);
    CHECK(plain.body() == live_server::big_body());
    CHECK(plain[field::vary] == "Accept-Encoding, Origin");

    const auto packed = client.send(make_request(verb::get, "/big", {accept_gzip}));
    REQUIRE_FALSE(client.error);
    CHECK(packed[field::content_encoding] == "gzip");
    CHECK(packed[field::vary] == "Accept-Encoding, Origin");
    CHECK(packed.body().size() < plain.body().size() / 3);
    CHECK(streamscope::testing::gunzip(packed.body()) == live_server::big_body());

    // Small answers and errors go as they are.
    const auto small = client.send(make_request(verb::get, "/echo/a/b", {accept_gzip}));
    REQUIRE_FALSE(client.error);
    CHECK(small.count(field::content_encoding) == 0);
    CHECK(json::parse(small.body()).at("a") == "a");
    const auto refused =
        client.send(make_request(verb::get, "/big", {{field::accept_encoding, "gzip;q=0"}}));
    REQUIRE_FALSE(client.error);
    CHECK(refused.count(field::content_encoding) == 0);
}

TEST_CASE("the server streams a handler's chunks, gzipped when accepted", "[unit][http]") {
    live_server api;
    raw_client client(api.port);
    REQUIRE_FALSE(client.error);

    const auto plain = client.send(make_request(verb::get, "/stream"));
    REQUIRE_FALSE(client.error);
    CHECK(plain.result() == status::ok);
    CHECK(plain.chunked());
    CHECK(plain.count(field::content_length) == 0);
    CHECK(plain.body() == live_server::streamed_whole());

    // The same connection goes on (the chunked body ended properly).
    const auto packed =
        client.send(make_request(verb::get, "/stream", {{field::accept_encoding, "gzip"}}));
    REQUIRE_FALSE(client.error);
    CHECK(packed.chunked());
    CHECK(packed[field::content_encoding] == "gzip");
    CHECK(streamscope::testing::gunzip(packed.body()) == live_server::streamed_whole());

    const auto head = client.send(make_request(verb::head, "/stream"));
    REQUIRE_FALSE(client.error);
    CHECK(head.result() == status::ok);
    CHECK(head.body().empty());

    // HTTP/1.0 has no chunks: the body ends with the connection.
    raw_client old(api.port);
    http::request req = make_request(verb::get, "/stream");
    req.version(10);
    const auto whole = old.send(req);
    REQUIRE_FALSE(old.error);
    CHECK_FALSE(whole.chunked());
    CHECK_FALSE(whole.keep_alive());
    CHECK(whole.body() == live_server::streamed_whole());
}

TEST_CASE("a stream that fails midway is cut off, and the server says why", "[unit][http]") {
    const log_capture logs;
    live_server api;
    raw_client client(api.port);
    REQUIRE_FALSE(client.error);
    const auto cut = client.send(make_request(verb::get, "/stream-broken"));
    // The client cannot take a truncated answer for a whole one.
    CHECK(client.error == beast_http::error::partial_message);
    CHECK(cut.body() == live_server::stream_chunk(0) + live_server::stream_chunk(1));
    const std::string log = logs.text();
    CHECK(log.find("failed after") != std::string::npos);
    CHECK(log.find("the database went away") != std::string::npos);
    CHECK(log.find("the answer is cut off") != std::string::npos);
}

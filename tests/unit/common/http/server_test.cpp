// The common HTTP server: routing, the one error shape, keep-alive, CORS, refusals.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "tests/support/live_server.hpp"

using namespace streamscope::testing;
namespace beast_http = boost::beast::http;

TEST_CASE("the server routes, answers errors in one shape and keeps connections alive",
          "[unit][http]") {
    const log_capture logs;
    http::server_options options;
    options.cors_allowed_origins = {"https://app.example", "https://other.example"};
    live_server api(std::move(options));
    REQUIRE(api.port != 0);
    raw_client client(api.port);
    REQUIRE_FALSE(client.error);

    // Every exchange below goes over this one connection, so each also checks keep-alive.
    const auto echo = client.send(make_request(verb::get, "/echo/x%2Fy/%C3%A9?limit=5&q="));
    REQUIRE_FALSE(client.error);
    CHECK(echo.result() == status::ok);
    CHECK(echo.keep_alive());
    CHECK(echo[field::content_type] == "application/json");
    CHECK(echo[field::vary] == "Origin");
    CHECK(echo.count(field::access_control_allow_origin) == 0); // no Origin, no list "*"
    const json::value body = json::parse(echo.body());
    CHECK(body.at("a") == "x/y");
    CHECK(body.at("b") == "\xC3\xA9");
    CHECK(body.at("path") == "/echo/x/y/\xC3\xA9");
    CHECK(body.at("query") == "limit=5&q=");
    CHECK(body.at("route") == "/echo/{a}/{b}");

    SECTION("404, 405 and 400 in the error shape") {
        const auto missing = client.send(make_request(verb::get, "/nope?x=1"));
        REQUIRE_FALSE(client.error);
        CHECK(missing.result() == status::not_found);
        const json::object e = error_of(missing);
        CHECK(e.at("code") == "not_found");
        CHECK_FALSE(e.contains("parameter"));
        CHECK(missing.keep_alive());

        const auto posted = client.send(make_request(verb::post, "/echo/a/b"));
        REQUIRE_FALSE(client.error);
        CHECK(posted.result() == status::method_not_allowed);
        CHECK(posted[field::allow] == "GET, HEAD");
        CHECK(error_of(posted).at("code") == "method_not_allowed");

        const auto bad = client.send(make_request(verb::get, "/echo/a/%zz"));
        REQUIRE_FALSE(client.error);
        CHECK(bad.result() == status::bad_request);
        CHECK(error_of(bad).at("code") == "invalid_path");

        const auto again = client.send(make_request(verb::get, "/echo/still/alive"));
        REQUIRE_FALSE(client.error);
        CHECK(again.result() == status::ok);
    }

    SECTION("HEAD is GET without the body") {
        const auto head = client.send(make_request(verb::head, "/echo/x%2Fy/%C3%A9?limit=5&q="));
        REQUIRE_FALSE(client.error);
        CHECK(head.result() == status::ok);
        CHECK(head.body().empty());
        CHECK(head[field::content_length] == std::to_string(echo.body().size()));
        CHECK(head[field::content_type] == "application/json");
        const auto after = client.send(make_request(verb::get, "/echo/a/b"));
        REQUIRE_FALSE(client.error);
        CHECK(after.result() == status::ok);
    }

    SECTION("CORS: allowed origins get their own name back, others nothing") {
        const auto from_app = client.send(
            make_request(verb::get, "/echo/a/b", {{field::origin, "https://app.example"}}));
        REQUIRE_FALSE(client.error);
        CHECK(from_app[field::access_control_allow_origin] == "https://app.example");
        CHECK(from_app[field::vary] == "Origin");

        const auto from_evil = client.send(
            make_request(verb::get, "/echo/a/b", {{field::origin, "https://evil.example"}}));
        REQUIRE_FALSE(client.error);
        CHECK(from_evil.result() == status::ok);
        CHECK(from_evil.count(field::access_control_allow_origin) == 0);

        const auto preflight =
            client.send(make_request(verb::options, "/echo/a/b",
                                     {{field::origin, "https://other.example"},
                                      {field::access_control_request_method, "GET"},
                                      {field::access_control_request_headers, "content-type"}}));
        REQUIRE_FALSE(client.error);
        CHECK(preflight.result() == status::no_content);
        CHECK(preflight.body().empty());
        CHECK(preflight[field::access_control_allow_origin] == "https://other.example");
        CHECK(preflight[field::access_control_allow_methods] == "GET, HEAD");
        CHECK(preflight[field::access_control_allow_headers].find("Content-Type") !=
              std::string_view::npos);
        CHECK(preflight[field::access_control_max_age] == "86400");
        CHECK(preflight[field::allow] == "GET, HEAD, OPTIONS");
        CHECK(preflight[field::vary] == "Origin");

        const auto refused =
            client.send(make_request(verb::options, "/echo/a/b",
                                     {{field::origin, "https://evil.example"},
                                      {field::access_control_request_method, "GET"}}));
        REQUIRE_FALSE(client.error);
        CHECK(refused.result() == status::no_content);
        CHECK(refused.count(field::access_control_allow_origin) == 0);
        CHECK(refused.count(field::access_control_allow_methods) == 0);

        const auto nowhere =
            client.send(make_request(verb::options, "/nope",
                                     {{field::origin, "https://app.example"},
                                      {field::access_control_request_method, "GET"}}));
        REQUIRE_FALSE(client.error);
        CHECK(nowhere.result() == status::not_found);
        CHECK(nowhere[field::access_control_allow_origin] == "https://app.example");
    }

    SECTION("a handler that throws is a 500 that tells nothing") {
        const auto boom = client.send(make_request(verb::get, "/boom"));
        REQUIRE_FALSE(client.error);
        CHECK(boom.result() == status::internal_server_error);
        CHECK(error_of(boom).at("code") == "internal_error");
        CHECK(boom.body().find("hunter2") == std::string::npos);
        CHECK(boom.keep_alive());
        const auto after = client.send(make_request(verb::get, "/echo/a/b"));
        REQUIRE_FALSE(client.error);
        CHECK(after.result() == status::ok);
    }

    SECTION("the access log and the observer") {
        const std::string long_value(300, 'v');
        client.send(make_request(verb::get, "/echo/a/b?q=" + long_value + "&limit=5"));
        REQUIRE_FALSE(client.error);
        client.send(make_request(verb::get, "/boom"));
        client.send(make_request(verb::get, "/nope"));
        REQUIRE_FALSE(client.error);
        api.stop_and_join(); // every observer call and log line is in

        const std::string text = logs.text();
        INFO(text);
        CHECK(std::regex_search(
            text,
            std::regex(
                R"(info GET /echo/x%2Fy/%C3%A9\?limit=5&q= 200 \d+\.\d\d ms \d+ B route /echo/\{a\}/\{b\}\n)")));
        CHECK(text.find("GET /echo/a/b?q=" + std::string(200, 'v') + "...&limit=5 200 ") !=
              std::string::npos);
        CHECK(std::regex_search(
            text, std::regex(R"(info GET /boom 500 \d+\.\d\d ms \d+ B route /boom\n)")));
        CHECK(
            std::regex_search(text, std::regex(R"(info GET /nope 404 [^\n]* route unmatched\n)")));
        // The exception's text goes to the log only.
        CHECK(std::regex_search(text, std::regex(R"(error GET /boom [^\n]*hunter2)")));

        const std::vector<std::pair<std::string, unsigned>> expected{
            {"/echo/{a}/{b}", 200}, {"/echo/{a}/{b}", 200}, {"/boom", 500}, {"unmatched", 404}};
        CHECK(api.observed() == expected);
        CHECK(api.negative_durations == 0);
    }
}

// Whether a new connection to `port` is served within about two seconds: the server frees a
// closed connection's place only when its session gets to it.
bool served_within_2s(std::uint16_t port) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        raw_client next(port);
        const auto res = next.send(make_request(verb::get, "/echo/a/b"));
        if (!next.error && res.result() == status::ok) {
            return true;
        }
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

TEST_CASE("the server refuses oversized, malformed and excess requests", "[unit][http]") {
    http::server_options options;
    options.max_connections = 3;
    live_server api(std::move(options));

    SECTION("headers over the limit: 431") {
        raw_client client(api.port);
        REQUIRE_FALSE(client.error);
        client.write_bytes("GET /echo/a/b HTTP/1.1\r\nHost: x\r\nX-Big: " +
                           std::string(17 * 1024, 'a') + "\r\n\r\n");
        REQUIRE_FALSE(client.error);
        const auto res = client.read();
        REQUIRE_FALSE(client.error);
        CHECK(res.result() == status::request_header_fields_too_large);
        CHECK(error_of(res).at("code") == "headers_too_large");
        CHECK_FALSE(res.keep_alive());
        CHECK(res[field::vary] == "Origin");
        CHECK(res[field::access_control_allow_origin] == "*");
    }
    SECTION("a body over the limit: 413") {
        raw_client client(api.port);
        REQUIRE_FALSE(client.error);
        client.write_bytes("POST /echo/a/b HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n" +
                           std::string(70000, 'b'));
        REQUIRE_FALSE(client.error);
        const auto res = client.read();
        REQUIRE_FALSE(client.error);
        CHECK(res.result() == status::payload_too_large);
        CHECK(error_of(res).at("code") == "body_too_large");
    }
    SECTION("garbage: 400") {
        raw_client client(api.port);
        REQUIRE_FALSE(client.error);
        client.write_bytes(std::string("\x01\x02\xff nonsense\r\n\r\n", 15));
        const auto res = client.read();
        REQUIRE_FALSE(client.error);
        CHECK(res.result() == status::bad_request);
        CHECK(error_of(res).at("code") == "bad_request");
    }
    SECTION("connections over max_connections are closed at once") {
        std::vector<std::unique_ptr<raw_client>> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(std::make_unique<raw_client>(api.port));
            REQUIRE_FALSE(clients.back()->error);
        }
        // The last of them is served, so all three have been admitted.
        const auto served = clients.back()->send(make_request(verb::get, "/echo/a/b"));
        REQUIRE_FALSE(clients.back()->error);
        CHECK(served.result() == status::ok);

        raw_client one_too_many(api.port);
        REQUIRE_FALSE(one_too_many.error); // the kernel accepts it; the server closes it
        one_too_many.send(make_request(verb::get, "/echo/a/b"));
        CHECK(one_too_many.error);

        clients.clear();
        // The sessions notice their clients left as the server gets to them.
        CHECK(served_within_2s(api.port));
    }
    SECTION("a second server cannot take the port") {
        asio::io_context io;
        http::router none;
        http::server second(io.get_executor(), {.host = "127.0.0.1", .port = api.port}, none);
        CHECK_THROWS_WITH(second.listen(), Catch::Contains("cannot listen on 127.0.0.1:" +
                                                           std::to_string(api.port)));
    }
}

TEST_CASE("one client address holds at most its share of the connections", "[unit][http]") {
    http::server_options options;
    options.max_connections = 10;
    options.max_connections_per_address = 2;
    live_server api(std::move(options));

    std::vector<std::unique_ptr<raw_client>> clients;
    for (int i = 0; i < 2; ++i) {
        clients.push_back(std::make_unique<raw_client>(api.port));
        REQUIRE_FALSE(clients.back()->error);
    }
    const auto served = clients.back()->send(make_request(verb::get, "/echo/a/b"));
    REQUIRE_FALSE(clients.back()->error);
    CHECK(served.result() == status::ok);

    // The server has room for eight more, but not from this address.
    raw_client third(api.port);
    REQUIRE_FALSE(third.error);
    third.send(make_request(verb::get, "/echo/a/b"));
    CHECK(third.error);

    clients.pop_back();
    CHECK(served_within_2s(api.port)); // a connection that closed frees its place
}

TEST_CASE("the server answers any origin when the list is *", "[unit][http]") {
    http::server_options options;
    options.cors_allowed_origins = {"https://a.example", "*"};
    live_server api(std::move(options));
    raw_client client(api.port);
    REQUIRE_FALSE(client.error);
    const auto plain = client.send(make_request(verb::get, "/echo/a/b"));
    REQUIRE_FALSE(client.error);
    CHECK(plain[field::access_control_allow_origin] == "*");
    CHECK(plain[field::vary] == "Origin");
    const auto preflight =
        client.send(make_request(verb::options, "/boom",
                                 {{field::origin, "https://anyone.example"},
                                  {field::access_control_request_method, "GET"}}));
    REQUIRE_FALSE(client.error);
    CHECK(preflight.result() == status::no_content);
    CHECK(preflight[field::access_control_allow_origin] == "*");
    CHECK(preflight[field::access_control_allow_methods] == "GET, HEAD");
}

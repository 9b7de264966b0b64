#include <atomic>
#include <chrono>
#include <csignal>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "api/http/errors.hpp"
#include "api/http/server.hpp"
#include "tests/support/gunzip.hpp"
#include "tests/support/raw_http_client.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using asio::ip::tcp;
using namespace streamscope::api;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

constexpr std::string_view secret = "password=hunter2 at db.internal:5432";

// The server under test, serving a small router on 127.0.0.1 from a background thread. Stops
// and joins on the way out, also when a REQUIRE throws.
class live_api {
public:
    explicit live_api(server_options options = {}) {
        routes_.add(http::verb::get, "/echo/{a}/{b}",
                    [](request_context& ctx) -> asio::awaitable<response> {
                        json::object o;
                        for (const auto& [name, value] : ctx.path_params) {
                            o[name] = value;
                        }
                        o["path"] = ctx.path;
                        o["query"] = ctx.query;
                        o["route"] = ctx.route;
                        co_return json_response(ctx.req, json::serialize(o));
                    });
        routes_.add(http::verb::get, "/boom", [](request_context&) -> asio::awaitable<response> {
            throw std::runtime_error(std::string(secret));
            response never;
            co_return never;
        });
        routes_.add(http::verb::get, "/slow",
                    [this](request_context& ctx) -> asio::awaitable<response> {
                        ++slow_started;
                        const auto executor = co_await asio::this_coro::executor;
                        asio::steady_timer wait(executor, 500ms);
                        co_await wait.async_wait(asio::use_awaitable);
                        co_return json_response(ctx.req, R"({"slow":true})");
                    });
        routes_.add(http::verb::get, "/big", [](request_context& ctx) -> asio::awaitable<response> {
            co_return json_response(ctx.req, big_body());
        });
        routes_.add(http::verb::get, "/stream", streaming(false));
        routes_.add(http::verb::get, "/stream-broken", streaming(true));
        options.host = "127.0.0.1";
        options.port = 0;
        options.threads = 2;
        options.request_observer = [this](std::string_view route, unsigned status,
                                          std::chrono::nanoseconds took) {
            // No CHECK here: Catch2 assertions are not thread-safe.
            const std::lock_guard lock(mutex_);
            observed_.emplace_back(std::string(route), status);
            negative_durations += took.count() < 0 ? 1 : 0;
        };
        server_.emplace(std::move(options), routes_);
        port = server_->listen();
        runner_ = std::thread([this] {
            server_->run();
            returned = true;
        });
    }
    ~live_api() { stop_and_join(); }
    live_api(const live_api&) = delete;
    live_api& operator=(const live_api&) = delete;

    void stop() { server_->stop(); }
    void stop_and_join() {
        server_->stop();
        if (runner_.joinable()) {
            runner_.join();
        }
    }
    std::vector<std::pair<std::string, unsigned>> observed() {
        const std::lock_guard lock(mutex_);
        return observed_;
    }

    // A JSON body well above the size worth compressing.
    static std::string big_body() {
        std::string body = "[";
        for (int i = 0; i < 500; ++i) {
            body += i > 0 ? R"(,{"n":)" : R"({"n":)";
            body += std::to_string(i);
            body += '}';
        }
        return body + "]";
    }
    // The body /stream sends in pieces: the chunks of `stream_chunk(i)` for i < 5.
    static std::string stream_chunk(int i) { return std::string(3000 + i, char('a' + i)) + "\n"; }
    static std::string streamed_whole() {
        std::string all;
        for (int i = 0; i < 5; ++i) {
            all += stream_chunk(i);
        }
        return all;
    }

    std::uint16_t port = 0;
    std::atomic<int> slow_started{0};
    std::atomic<bool> returned{false};
    std::atomic<int> negative_durations{0};

private:
    // A handler that streams five chunks, pausing between them; `broken`: it fails after two.
    static handler streaming(bool broken) {
        return [broken](request_context& ctx) -> asio::awaitable<response> {
            ctx.streamed_body =
                [broken, next = 0]() mutable -> asio::awaitable<std::optional<std::string>> {
                if (broken && next == 2) {
                    throw std::runtime_error("the database went away");
                }
                if (next == 5) {
                    co_return std::nullopt;
                }
                const auto executor = co_await asio::this_coro::executor;
                asio::steady_timer pause(executor, 5ms);
                co_await pause.async_wait(asio::use_awaitable);
                co_return stream_chunk(next++);
            };
            response res = json_response(ctx.req, "");
            res.set(http::field::content_type, "text/plain");
            co_return res;
        };
    }

    router routes_;
    std::optional<server> server_;
    std::thread runner_;
    std::mutex mutex_;
    std::vector<std::pair<std::string, unsigned>> observed_;
};

using raw_client = streamscope::testing::raw_http_client;

request make_request(http::verb method, std::string target,
                     std::vector<std::pair<http::field, std::string>> headers = {}) {
    request req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) {
        req.set(name, value);
    }
    return req;
}

// The error object of a response in the API's one error shape; fails the test otherwise.
json::object error_of(const response& res) {
    CHECK(res[http::field::content_type] == "application/json");
    const json::value doc = json::parse(res.body());
    REQUIRE(doc.is_object());
    CHECK(doc.as_object().size() == 1);
    const json::object& e = doc.at("error").as_object();
    CHECK(e.at("status") == res.result_int());
    CHECK(e.at("code").is_string());
    CHECK(e.at("message").is_string());
    return e;
}

// Captures what the server logs for the length of a test.
class log_capture {
public:
    log_capture() : previous_(spdlog::default_logger()) {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(lines_);
        auto logger = std::make_shared<spdlog::logger>("api-test", std::move(sink));
        logger->set_pattern("%l %v");
        logger->set_level(spdlog::level::info);
        spdlog::set_default_logger(std::move(logger));
    }
    ~log_capture() { spdlog::set_default_logger(previous_); }
    log_capture(const log_capture&) = delete;
    log_capture& operator=(const log_capture&) = delete;

    std::string text() const {
        spdlog::default_logger()->flush();
        return lines_.str();
    }

private:
    std::shared_ptr<spdlog::logger> previous_;
    std::ostringstream lines_;
};

} // namespace

TEST_CASE("the API server routes, answers errors in one shape and keeps connections alive",
          "[unit][api]") {
    const log_capture logs;
    server_options options;
    options.cors_allowed_origins = {"https://app.example", "https://other.example"};
    live_api api(std::move(options));
    REQUIRE(api.port != 0);
    raw_client client(api.port);
    REQUIRE_FALSE(client.error);

    // Every exchange below goes over this one connection, so each also checks keep-alive.
    const auto echo = client.send(make_request(http::verb::get, "/echo/x%2Fy/%C3%A9?limit=5&q="));
    REQUIRE_FALSE(client.error);
    CHECK(echo.result() == http::status::ok);
    CHECK(echo.keep_alive());
    CHECK(echo[http::field::content_type] == "application/json");
    CHECK(echo[http::field::vary] == "Origin");
    CHECK(echo.count(http::field::access_control_allow_origin) == 0); // no Origin, no list "*"
    const json::value body = json::parse(echo.body());
    CHECK(body.at("a") == "x/y");
    CHECK(body.at("b") == "\xC3\xA9");
    CHECK(body.at("path") == "/echo/x/y/\xC3\xA9");
    CHECK(body.at("query") == "limit=5&q=");
    CHECK(body.at("route") == "/echo/{a}/{b}");

    SECTION("404, 405 and 400 in the error shape") {
        const auto missing = client.send(make_request(http::verb::get, "/nope?x=1"));
        REQUIRE_FALSE(client.error);
        CHECK(missing.result() == http::status::not_found);
        const json::object e = error_of(missing);
        CHECK(e.at("code") == "not_found");
        CHECK_FALSE(e.contains("parameter"));
        CHECK(missing.keep_alive());

        const auto posted = client.send(make_request(http::verb::post, "/echo/a/b"));
        REQUIRE_FALSE(client.error);
        CHECK(posted.result() == http::status::method_not_allowed);
        CHECK(posted[http::field::allow] == "GET, HEAD");
        CHECK(error_of(posted).at("code") == "method_not_allowed");

        const auto bad = client.send(make_request(http::verb::get, "/echo/a/%zz"));
        REQUIRE_FALSE(client.error);
        CHECK(bad.result() == http::status::bad_request);
        CHECK(error_of(bad).at("code") == "invalid_path");

        const auto again = client.send(make_request(http::verb::get, "/echo/still/alive"));
        REQUIRE_FALSE(client.error);
        CHECK(again.result() == http::status::ok);
    }

    SECTION("HEAD is GET without the body") {
        const auto head =
            client.send(make_request(http::verb::head, "/echo/x%2Fy/%C3%A9?limit=5&q="));
        REQUIRE_FALSE(client.error);
        CHECK(head.result() == http::status::ok);
        CHECK(head.body().empty());
        CHECK(head[http::field::content_length] == std::to_string(echo.body().size()));
        CHECK(head[http::field::content_type] == "application/json");
        const auto after = client.send(make_request(http::verb::get, "/echo/a/b"));
        REQUIRE_FALSE(client.error);
        CHECK(after.result() == http::status::ok);
    }

    SECTION("CORS: allowed origins get their own name back, others nothing") {
        const auto from_app = client.send(make_request(
            http::verb::get, "/echo/a/b", {{http::field::origin, "https://app.example"}}));
        REQUIRE_FALSE(client.error);
        CHECK(from_app[http::field::access_control_allow_origin] == "https://app.example");
        CHECK(from_app[http::field::vary] == "Origin");

        const auto from_evil = client.send(make_request(
            http::verb::get, "/echo/a/b", {{http::field::origin, "https://evil.example"}}));
        REQUIRE_FALSE(client.error);
        CHECK(from_evil.result() == http::status::ok);
        CHECK(from_evil.count(http::field::access_control_allow_origin) == 0);

        const auto preflight = client.send(
            make_request(http::verb::options, "/echo/a/b",
                         {{http::field::origin, "https://other.example"},
                          {http::field::access_control_request_method, "GET"},
                          {http::field::access_control_request_headers, "content-type"}}));
        REQUIRE_FALSE(client.error);
        CHECK(preflight.result() == http::status::no_content);
        CHECK(preflight.body().empty());
        CHECK(preflight[http::field::access_control_allow_origin] == "https://other.example");
        CHECK(preflight[http::field::access_control_allow_methods] == "GET, HEAD");
        CHECK(preflight[http::field::access_control_allow_headers].find("Content-Type") !=
              std::string_view::npos);
        CHECK(preflight[http::field::access_control_max_age] == "86400");
        CHECK(preflight[http::field::allow] == "GET, HEAD, OPTIONS");
        CHECK(preflight[http::field::vary] == "Origin");

        const auto refused =
            client.send(make_request(http::verb::options, "/echo/a/b",
                                     {{http::field::origin, "https://evil.example"},
                                      {http::field::access_control_request_method, "GET"}}));
        REQUIRE_FALSE(client.error);
        CHECK(refused.result() == http::status::no_content);
        CHECK(refused.count(http::field::access_control_allow_origin) == 0);
        CHECK(refused.count(http::field::access_control_allow_methods) == 0);

        const auto nowhere =
            client.send(make_request(http::verb::options, "/nope",
                                     {{http::field::origin, "https://app.example"},
                                      {http::field::access_control_request_method, "GET"}}));
        REQUIRE_FALSE(client.error);
        CHECK(nowhere.result() == http::status::not_found);
        CHECK(nowhere[http::field::access_control_allow_origin] == "https://app.example");
    }

    SECTION("a handler that throws is a 500 that tells nothing") {
        const auto boom = client.send(make_request(http::verb::get, "/boom"));
        REQUIRE_FALSE(client.error);
        CHECK(boom.result() == http::status::internal_server_error);
        CHECK(error_of(boom).at("code") == "internal_error");
        CHECK(boom.body().find("hunter2") == std::string::npos);
        CHECK(boom.keep_alive());
        const auto after = client.send(make_request(http::verb::get, "/echo/a/b"));
        REQUIRE_FALSE(client.error);
        CHECK(after.result() == http::status::ok);
    }

    SECTION("the access log and the observer") {
        const std::string long_value(300, 'v');
        client.send(make_request(http::verb::get, "/echo/a/b?q=" + long_value + "&limit=5"));
        REQUIRE_FALSE(client.error);
        client.send(make_request(http::verb::get, "/boom"));
        client.send(make_request(http::verb::get, "/nope"));
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

TEST_CASE("the API server refuses oversized, malformed and excess requests", "[unit][api]") {
    server_options options;
    options.max_connections = 3;
    live_api api(std::move(options));

    SECTION("headers over the limit: 431") {
        raw_client client(api.port);
        REQUIRE_FALSE(client.error);
        client.write_bytes("GET /echo/a/b HTTP/1.1\r\nHost: x\r\nX-Big: " +
                           std::string(17 * 1024, 'a') + "\r\n\r\n");
        REQUIRE_FALSE(client.error);
        const auto res = client.read();
        REQUIRE_FALSE(client.error);
        CHECK(res.result() == http::status::request_header_fields_too_large);
        CHECK(error_of(res).at("code") == "headers_too_large");
        CHECK_FALSE(res.keep_alive());
        CHECK(res[http::field::vary] == "Origin");
        CHECK(res[http::field::access_control_allow_origin] == "*");
    }
    SECTION("a body over the limit: 413") {
        raw_client client(api.port);
        REQUIRE_FALSE(client.error);
        client.write_bytes("POST /echo/a/b HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n" +
                           std::string(70000, 'b'));
        REQUIRE_FALSE(client.error);
        const auto res = client.read();
        REQUIRE_FALSE(client.error);
        CHECK(res.result() == http::status::payload_too_large);
        CHECK(error_of(res).at("code") == "body_too_large");
    }
    SECTION("garbage: 400") {
        raw_client client(api.port);
        REQUIRE_FALSE(client.error);
        client.write_bytes(std::string("\x01\x02\xff nonsense\r\n\r\n", 15));
        const auto res = client.read();
        REQUIRE_FALSE(client.error);
        CHECK(res.result() == http::status::bad_request);
        CHECK(error_of(res).at("code") == "bad_request");
    }
    SECTION("connections over max_connections are closed at once") {
        std::vector<std::unique_ptr<raw_client>> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(std::make_unique<raw_client>(api.port));
            REQUIRE_FALSE(clients.back()->error);
        }
        // The last of them is served, so all three have been admitted.
        const auto served = clients.back()->send(make_request(http::verb::get, "/echo/a/b"));
        REQUIRE_FALSE(clients.back()->error);
        CHECK(served.result() == http::status::ok);

        raw_client one_too_many(api.port);
        REQUIRE_FALSE(one_too_many.error); // the kernel accepts it; the server closes it
        one_too_many.send(make_request(http::verb::get, "/echo/a/b"));
        CHECK(one_too_many.error);

        clients.clear();
        // The sessions notice their clients left as the server gets to them.
        bool served_again = false;
        for (int attempt = 0; attempt < 100 && !served_again; ++attempt) {
            raw_client next(api.port);
            const auto res = next.send(make_request(http::verb::get, "/echo/a/b"));
            served_again = !next.error && res.result() == http::status::ok;
            if (!served_again) {
                std::this_thread::sleep_for(20ms);
            }
        }
        CHECK(served_again);
    }
    SECTION("a second server cannot take the port") {
        router none;
        server_options taken;
        taken.host = "127.0.0.1";
        taken.port = api.port;
        server second(taken, none);
        CHECK_THROWS_WITH(second.listen(), Catch::Contains("cannot listen on 127.0.0.1:" +
                                                           std::to_string(api.port)));
    }
}

TEST_CASE("the API server answers any origin when the list is *", "[unit][api]") {
    live_api api; // the default list: "*"
    raw_client client(api.port);
    REQUIRE_FALSE(client.error);
    const auto plain = client.send(make_request(http::verb::get, "/echo/a/b"));
    REQUIRE_FALSE(client.error);
    CHECK(plain[http::field::access_control_allow_origin] == "*");
    CHECK(plain[http::field::vary] == "Origin");
    const auto preflight =
        client.send(make_request(http::verb::options, "/boom",
                                 {{http::field::origin, "https://anyone.example"},
                                  {http::field::access_control_request_method, "GET"}}));
    REQUIRE_FALSE(client.error);
    CHECK(preflight.result() == http::status::no_content);
    CHECK(preflight[http::field::access_control_allow_origin] == "*");
    CHECK(preflight[http::field::access_control_allow_methods] == "GET, HEAD");
}

TEST_CASE("the API server closes slow and idle connections", "[unit][api]") {
    server_options options;
    options.read_timeout = 1s;
    options.idle_timeout = 1s;
    live_api api(std::move(options));
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
        const auto res = client.send(make_request(http::verb::get, "/echo/a/b"));
        REQUIRE_FALSE(client.error);
        CHECK(res.keep_alive());
        client.read();
        CHECK(client.error);
    }
    const auto took = steady::now() - started;
    CHECK(took >= 900ms);
    CHECK(took < 3s);
}

TEST_CASE("stopping the API server lets requests in flight finish", "[unit][api]") {
    live_api api;
    raw_client idle(api.port);
    REQUIRE_FALSE(idle.error);
    const auto first = idle.send(make_request(http::verb::get, "/echo/a/b"));
    REQUIRE_FALSE(idle.error);
    CHECK(first.keep_alive());

    std::optional<raw_client> busy(std::in_place, api.port);
    REQUIRE_FALSE(busy->error);
    busy->write(make_request(http::verb::get, "/slow"));
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
    CHECK(slow.result() == http::status::ok);
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

TEST_CASE("SIGTERM stops the API server like stop()", "[unit][api]") {
    live_api api;
    raw_client client(api.port);
    REQUIRE_FALSE(client.error);
    // An answer means run() is serving, so its signal handler is in place.
    const auto res = client.send(make_request(http::verb::get, "/echo/a/b"));
    REQUIRE_FALSE(client.error);
    CHECK(res.result() == http::status::ok);
    REQUIRE(std::raise(SIGTERM) == 0);
    client.read();
    CHECK(client.error); // the idle connection is closed
    for (int i = 0; i < 200 && !api.returned; ++i) {
        std::this_thread::sleep_for(10ms);
    }
    CHECK(api.returned);
}

TEST_CASE("an API server stopped before run() returns from run() at once", "[unit][api]") {
    router routes;
    server_options options;
    options.host = "127.0.0.1";
    options.port = 0;
    server idle(options, routes);
    idle.stop();
    const auto started = steady::now();
    idle.run();
    CHECK(steady::now() - started < 1s);
}

TEST_CASE("the API server gzips large answers for clients that accept it", "[unit][api]") {
    live_api api;
    raw_client client(api.port);
    REQUIRE_FALSE(client.error);
    const auto gzip = std::pair{http::field::accept_encoding, std::string("br, gzip")};

    const auto plain = client.send(make_request(http::verb::get, "/big"));
    REQUIRE_FALSE(client.error);
    CHECK(plain.count(http::field::content_encoding) == 0);
    CHECK(plain.body() == live_api::big_body());
    CHECK(plain[http::field::vary] == "Accept-Encoding, Origin");

    const auto packed = client.send(make_request(http::verb::get, "/big", {gzip}));
    REQUIRE_FALSE(client.error);
    CHECK(packed[http::field::content_encoding] == "gzip");
    CHECK(packed[http::field::vary] == "Accept-Encoding, Origin");
    CHECK(packed.body().size() < plain.body().size() / 3);
    CHECK(streamscope::testing::gunzip(packed.body()) == live_api::big_body());

    // Small answers and errors go as they are.
    const auto small = client.send(make_request(http::verb::get, "/echo/a/b", {gzip}));
    REQUIRE_FALSE(client.error);
    CHECK(small.count(http::field::content_encoding) == 0);
    CHECK(json::parse(small.body()).at("a") == "a");
    const auto refused = client.send(
        make_request(http::verb::get, "/big", {{http::field::accept_encoding, "gzip;q=0"}}));
    REQUIRE_FALSE(client.error);
    CHECK(refused.count(http::field::content_encoding) == 0);
}

TEST_CASE("the API server streams a handler's chunks, gzipped when accepted", "[unit][api]") {
    live_api api;
    raw_client client(api.port);
    REQUIRE_FALSE(client.error);

    const auto plain = client.send(make_request(http::verb::get, "/stream"));
    REQUIRE_FALSE(client.error);
    CHECK(plain.result() == http::status::ok);
    CHECK(plain.chunked());
    CHECK(plain.count(http::field::content_length) == 0);
    CHECK(plain.body() == live_api::streamed_whole());

    // The same connection goes on (the chunked body ended properly).
    const auto packed = client.send(
        make_request(http::verb::get, "/stream", {{http::field::accept_encoding, "gzip"}}));
    REQUIRE_FALSE(client.error);
    CHECK(packed.chunked());
    CHECK(packed[http::field::content_encoding] == "gzip");
    CHECK(streamscope::testing::gunzip(packed.body()) == live_api::streamed_whole());

    const auto head = client.send(make_request(http::verb::head, "/stream"));
    REQUIRE_FALSE(client.error);
    CHECK(head.result() == http::status::ok);
    CHECK(head.body().empty());

    // HTTP/1.0 has no chunks: the body ends with the connection.
    raw_client old(api.port);
    request req = make_request(http::verb::get, "/stream");
    req.version(10);
    const auto whole = old.send(req);
    REQUIRE_FALSE(old.error);
    CHECK_FALSE(whole.chunked());
    CHECK_FALSE(whole.keep_alive());
    CHECK(whole.body() == live_api::streamed_whole());
}

TEST_CASE("a stream that fails midway is cut off, and the server says why", "[unit][api]") {
    const log_capture logs;
    live_api api;
    raw_client client(api.port);
    REQUIRE_FALSE(client.error);
    const auto cut = client.send(make_request(http::verb::get, "/stream-broken"));
    // The client cannot take a truncated answer for a whole one.
    CHECK(client.error == http::error::partial_message);
    CHECK(cut.body() == live_api::stream_chunk(0) + live_api::stream_chunk(1));
    const std::string log = logs.text();
    CHECK(log.find("failed after") != std::string::npos);
    CHECK(log.find("the database went away") != std::string::npos);
    CHECK(log.find("the answer is cut off") != std::string::npos);
}

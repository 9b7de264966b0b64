#pragma once
// The common HTTP server on a background io_context, with a small router, for its tests.

#include <atomic>
#include <chrono>
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

#include <boost/asio/io_context.hpp>
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

#include "common/http/response.hpp"
#include "common/http/router.hpp"
#include "common/http/server.hpp"
#include "tests/support/raw_http_client.hpp"

namespace streamscope::testing {

namespace asio = boost::asio;
namespace json = boost::json;
namespace http = streamscope::http;
using asio::ip::tcp;
using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

// What a failing handler throws: a message that must never reach a client.
inline constexpr std::string_view secret = "password=hunter2 at db.internal:5432";

// The server under test, serving a small router on 127.0.0.1 from two background threads.
// Stops and joins on the way out, also when a REQUIRE throws.
class live_server {
public:
    // Any origin allowed unless `options` name some, like the API's default.
    explicit live_server(http::server_options options = {}) {
        if (options.cors_allowed_origins.empty()) {
            options.cors_allowed_origins = {"*"};
        }
        routes_.add(verb::get, "/echo/{a}/{b}",
                    [](http::request_context& ctx) -> asio::awaitable<http::response> {
                        json::object o;
                        for (const auto& [name, value] : ctx.path_params) {
                            o[name] = value;
                        }
                        o["path"] = ctx.path;
                        o["query"] = ctx.query;
                        o["route"] = ctx.route;
                        co_return http::json_response(ctx.req, json::serialize(o));
                    });
        routes_.add(verb::get, "/boom",
                    [](http::request_context&) -> asio::awaitable<http::response> {
                        throw std::runtime_error(std::string(secret));
                        http::response never;
                        co_return never;
                    });
        routes_.add(verb::get, "/slow",
                    [this](http::request_context& ctx) -> asio::awaitable<http::response> {
                        ++slow_started;
                        const auto executor = co_await asio::this_coro::executor;
                        asio::steady_timer wait(executor, 500ms);
                        co_await wait.async_wait(asio::use_awaitable);
                        co_return http::json_response(ctx.req, R"({"slow":true})");
                    });
        routes_.add(verb::get, "/big",
                    [](http::request_context& ctx) -> asio::awaitable<http::response> {
                        co_return http::json_response(ctx.req, big_body());
                    });
        routes_.add(verb::get, "/stream", streaming(false));
        routes_.add(verb::get, "/stream-broken", streaming(true));
        options.host = "127.0.0.1";
        options.port = 0;
        options.request_observer = [this](std::string_view route, unsigned status,
                                          std::chrono::nanoseconds took) {
            // No CHECK here: Catch2 assertions are not thread-safe.
            const std::lock_guard lock(mutex_);
            observed_.emplace_back(std::string(route), status);
            negative_durations += took.count() < 0 ? 1 : 0;
        };
        server_.emplace(io_.get_executor(), std::move(options), routes_);
        port = server_->listen();
        server_->start();
        for (int i = 0; i < 2; ++i) {
            runners_.emplace_back([this] {
                io_.run();
                returned = true;
            });
        }
    }
    ~live_server() { stop_and_join(); }
    live_server(const live_server&) = delete;
    live_server& operator=(const live_server&) = delete;

    // As the API's main does on SIGTERM: a drain of up to 10 s, then the rest cut off.
    void stop() {
        server_->stop(10s, [this](bool drained) {
            if (!drained) {
                io_.stop();
            }
        });
    }
    void stop_and_join() {
        stop();
        for (std::thread& t : runners_) {
            if (t.joinable()) {
                t.join();
            }
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
    static http::handler streaming(bool broken) {
        return [broken](http::request_context& ctx) -> asio::awaitable<http::response> {
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
            http::response res = http::json_response(ctx.req, "");
            res.set(field::content_type, "text/plain");
            co_return res;
        };
    }

    http::router routes_;
    asio::io_context io_;
    std::optional<http::server> server_;
    std::vector<std::thread> runners_;
    std::mutex mutex_;
    std::vector<std::pair<std::string, unsigned>> observed_;
};

using raw_client = raw_http_client;

inline http::request make_request(verb method, std::string target,
                                  std::vector<std::pair<field, std::string>> headers = {}) {
    http::request req{method, target, 11};
    req.set(field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) {
        req.set(name, value);
    }
    return req;
}

// The error object of a response in the API's one error shape; fails the test otherwise.
inline json::object error_of(const http::response& res) {
    CHECK(res[field::content_type] == "application/json");
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

} // namespace streamscope::testing

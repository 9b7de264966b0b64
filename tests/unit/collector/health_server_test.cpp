// The collector's health port over real sockets, and the healthcheck command.

#include <cstdlib>
#include <future>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "collector/daemon/health_server.hpp"
#include "collector/daemon/metrics.hpp"
#include "collector/daemon/status.hpp"
#include "common/http/healthcheck.hpp"
#include "tests/support/collector_status.hpp"
#include "tests/support/exposition.hpp"
#include "tests/support/raw_http_client.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using asio::ip::tcp;
using streamscope::http::run_healthcheck;
using namespace streamscope::collector;
using namespace std::chrono_literals;
using std::chrono::system_clock;
using namespace streamscope::testing;

namespace {

// Runs the server's io_context on a thread for the length of a test; stops the server and joins
// on the way out, also when a REQUIRE throws.
class io_thread {
public:
    io_thread(asio::io_context& io, health_server& server)
        : io_(io), server_(server), thread_([&io] { io.run(); }) {}
    ~io_thread() {
        asio::post(io_, [this] { server_.stop(); });
        thread_.join();
    }
    io_thread(const io_thread&) = delete;
    io_thread& operator=(const io_thread&) = delete;

    // Runs `f` on the io thread, where the status may be touched, and waits for it.
    template <typename F>
    void run(F f) {
        std::promise<void> done;
        asio::post(io_, [&] {
            f();
            done.set_value();
        });
        done.get_future().wait();
    }

private:
    asio::io_context& io_;
    health_server& server_;
    std::thread thread_;
};

using raw_client = streamscope::testing::raw_http_client;

std::uint16_t closed_port() {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return acceptor.local_endpoint().port();
}

} // namespace

TEST_CASE("the health server answers probes, scrapers and strangers", "[unit][health]") {
    asio::io_context io;
    collector_status status = busy_collector();
    const auto now = system_clock::now();
    status.started_at = now - 1h;
    status.platforms[twitch].last_good_sweep->finished_at = now - 10s;
    status.platforms[twitch].last_sweep->finished_at = now - 10s;

    health_server server(io.get_executor(), status, {asio::ip::make_address("127.0.0.1"), 0});
    const std::uint16_t port = server.listen();
    REQUIRE(port != 0);
    server.start();
    io_thread runner(io, server);

    SECTION("healthcheck: 0 while healthy, 1 once the sweeps stop") {
        std::ostringstream out;
        std::ostringstream err;
        CHECK(run_healthcheck("127.0.0.1", port, 2s, out, err) == 0);
        CHECK(json::parse(out.str()).at("status") == "ok");
        CHECK(err.str().empty());

        runner.run([&] { status.platforms[twitch].last_good_sweep->finished_at = now - 1h; });
        std::ostringstream out2;
        std::ostringstream err2;
        CHECK(run_healthcheck("localhost", port, 2s, out2, err2) == 1);
        CHECK(json::parse(out2.str()).at("status") == "failing");
        CHECK(err2.str().find("answered 503") != std::string::npos);
        const std::string why = err2.str();
        CHECK(std::count(why.begin(), why.end(), '\n') == 1);
    }

    SECTION("metrics, 404, 405 and HEAD on one kept-alive connection") {
        raw_client client(port);
        REQUIRE_FALSE(client.error);

        const auto metrics = client.send(http::verb::get, "/metrics");
        REQUIRE_FALSE(client.error);
        CHECK(metrics.result() == http::status::ok);
        CHECK(metrics[http::field::content_type] == "text/plain; version=0.0.4");
        CHECK(metrics.body().find("\nstreamscope_collector_healthy 1\n") != std::string::npos);
        CHECK(parse_exposition(metrics.body()).problems.empty());
        CHECK(metrics.keep_alive());

        const auto missing = client.send(http::verb::get, "/nope?x=1");
        REQUIRE_FALSE(client.error);
        CHECK(missing.result() == http::status::not_found);
        CHECK(missing[http::field::content_type] == "application/json");
        CHECK(json::parse(missing.body()).at("error").at("code") == "not_found");

        const auto posted = client.send(http::verb::post, "/health");
        REQUIRE_FALSE(client.error);
        CHECK(posted.result() == http::status::method_not_allowed);
        CHECK(posted[http::field::allow] == "GET, HEAD");
        CHECK(json::parse(posted.body()).at("error").at("code") == "method_not_allowed");

        const auto head = client.send(http::verb::head, "/health?probe=1");
        REQUIRE_FALSE(client.error);
        CHECK(head.result() == http::status::ok);
        CHECK(head.body().empty());
        CHECK(std::stoul(std::string(head[http::field::content_length])) > 100);

        const auto health = client.send(http::verb::get, "/health");
        REQUIRE_FALSE(client.error);
        CHECK(health.result() == http::status::ok);
        CHECK(health[http::field::content_type] == "application/json");
        CHECK(json::parse(health.body()).at("platforms").at("twitch").at("role") == "leader");
    }

    SECTION("garbage gets a 400 and the server carries on") {
        {
            raw_client client(port);
            REQUIRE_FALSE(client.error);
            client.write_bytes(std::string("\x01\x02\xff nonsense\r\n\r\n", 15));
            const auto res = client.read();
            REQUIRE_FALSE(client.error);
            CHECK(res.result() == http::status::bad_request);
            CHECK_FALSE(res.keep_alive());
        }
        {
            // Headers over the limit: a 431, or a reset when the unread rest arrives first.
            raw_client client(port);
            REQUIRE_FALSE(client.error);
            client.write_bytes(
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n");
            const auto res = client.read();
            if (!client.error) {
                CHECK(res.result() == http::status::request_header_fields_too_large);
            }
        }
        {
            // Half a request, then the client leaves.
            raw_client client(port);
            REQUIRE_FALSE(client.error);
            client.write_bytes("GET /health HT");
        }
        std::ostringstream out;
        std::ostringstream err;
        CHECK(run_healthcheck("127.0.0.1", port, 2s, out, err) == 0);
    }

    SECTION("more than 64 connections at once are closed") {
        std::vector<std::unique_ptr<raw_client>> clients;
        for (int i = 0; i < 64; ++i) {
            clients.push_back(std::make_unique<raw_client>(port));
            REQUIRE_FALSE(clients.back()->error);
        }
        // Every one of them is served.
        const auto answered = clients.back()->send(http::verb::get, "/health");
        REQUIRE_FALSE(clients.back()->error);
        CHECK(answered.result() == http::status::ok);

        raw_client one_too_many(port);
        REQUIRE_FALSE(one_too_many.error); // the kernel accepts it; the server closes it
        one_too_many.send(http::verb::get, "/health");
        CHECK(one_too_many.error);

        clients.clear();
        // The sessions notice their clients left as the io thread gets to them.
        int code = 1;
        for (int attempt = 0; attempt < 50 && code != 0; ++attempt) {
            std::ostringstream out;
            std::ostringstream err;
            code = run_healthcheck("127.0.0.1", port, 2s, out, err);
            if (code != 0) {
                std::this_thread::sleep_for(20ms);
            }
        }
        CHECK(code == 0);
    }

    SECTION("a second server cannot take the port") {
        health_server second(io.get_executor(), status,
                             {asio::ip::make_address("127.0.0.1"), port});
        CHECK_THROWS_WITH(second.listen(),
                          Catch::Contains("cannot listen on 127.0.0.1:" + std::to_string(port)));
    }
}

TEST_CASE("healthcheck fails quickly and says why", "[unit][health]") {
    SECTION("nobody listens") {
        std::ostringstream out;
        std::ostringstream err;
        const auto started = std::chrono::steady_clock::now();
        CHECK(run_healthcheck("127.0.0.1", closed_port(), 5s, out, err) == 1);
        CHECK(std::chrono::steady_clock::now() - started < 1s);
        CHECK(out.str().empty());
        CHECK(err.str().find("healthcheck: cannot connect to 127.0.0.1:") == 0);
        const std::string why = err.str();
        CHECK(std::count(why.begin(), why.end(), '\n') == 1);
    }
    SECTION("the server accepts but never answers") {
        asio::io_context io;
        tcp::acceptor silent(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        std::ostringstream out;
        std::ostringstream err;
        const auto started = std::chrono::steady_clock::now();
        CHECK(run_healthcheck("127.0.0.1", silent.local_endpoint().port(), 300ms, out, err) == 1);
        const auto took = std::chrono::steady_clock::now() - started;
        CHECK(took >= 300ms);
        CHECK(took < 2s);
        CHECK(err.str().find("within 300 ms") != std::string::npos);
    }
}

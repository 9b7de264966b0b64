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

namespace {

const system_clock::time_point t0{std::chrono::seconds(1'800'000'000)};
constexpr auto twitch = streamscope::model::platform::twitch;
constexpr auto kick = streamscope::model::platform::kick;

// Twitch led by this collector, which finished a complete sweep 100 s before t0, with every
// field filled in.
platform_status busy_leader() {
    platform_status p;
    p.current_role = role::leader;
    p.interval = 300s;
    sweep_summary sweep;
    sweep.started_at = t0 - 160s;
    sweep.finished_at = t0 - 100s + 250ms;
    sweep.status = "complete";
    sweep.streams = 98'765;
    sweep.pages = 990;
    sweep.rows_written = 98'765;
    p.last_sweep = sweep;
    p.last_good_sweep = sweep;
    p.token_expires_at = t0 + 3600s + 500ms;
    p.sweeps_by_status = {{"complete", 11}, {"partial", 2}};
    p.pages_total = 10'890;
    p.requests_by_status = {{200, 12'000}, {429, 3}, {0, 1}};
    p.retries_total = 4;
    p.throttled_total = 3;
    p.malformed_total = 5;
    p.rate_limit_remaining = 777;
    p.last_sweep_duration_s = 59.75;
    p.last_store_duration_s = 0.625;
    p.rows_written_total = 1'086'415;
    p.sweeps_replayed_total = 1;
    return p;
}

collector_status busy_collector() {
    collector_status s;
    s.started_at = t0 - 1h;
    s.database_up = true;
    s.spool_bytes = 1234;
    s.spool_files = 2;
    s.platforms[twitch] = busy_leader();
    return s;
}

} // namespace

TEST_CASE("role names", "[unit][health]") {
    CHECK(std::string(to_string(role::starting)) == "starting");
    CHECK(std::string(to_string(role::leader)) == "leader");
    CHECK(std::string(to_string(role::standby)) == "standby");
    CHECK(std::string(to_string(role::detached)) == "detached");
    CHECK(std::string(to_string(role::stopped)) == "stopped");
}

TEST_CASE("a leader is healthy while its last good sweep is younger than 2.5 intervals",
          "[unit][health]") {
    platform_status p = busy_leader();
    const auto started = t0 - 1h;
    const auto finished = p.last_good_sweep->finished_at;
    CHECK(is_healthy(p, started, finished));
    CHECK(is_healthy(p, started, finished + 749s));
    CHECK_FALSE(is_healthy(p, started, finished + 750s));
    CHECK_FALSE(is_healthy(p, started, finished + 1h));

    SECTION("a newer failed sweep does not count") {
        p.last_sweep->status = "failed";
        p.last_sweep->finished_at = finished + 700s;
        CHECK_FALSE(is_healthy(p, started, finished + 751s));
    }
    SECTION("the interval scales the limit") {
        p.interval = std::chrono::duration<double>(10.0);
        CHECK(is_healthy(p, started, finished + 24s));
        CHECK_FALSE(is_healthy(p, started, finished + 26s));
    }
    SECTION("a detached collector counts its spooled sweeps the same way") {
        p.current_role = role::detached;
        p.last_good_sweep->spooled = true;
        CHECK(is_healthy(p, started, finished + 700s));
        CHECK_FALSE(is_healthy(p, started, finished + 800s));
    }
    SECTION("a clock behind the sweep's is not a failure") {
        CHECK(is_healthy(p, started, finished - 10s));
    }
    SECTION("a platform that refused the collector is never healthy") {
        p.current_role = role::stopped;
        CHECK_FALSE(is_healthy(p, started, finished));
    }
}

TEST_CASE("with no sweep yet a platform is healthy for 2.5 intervals after the start",
          "[unit][health]") {
    platform_status p;
    p.interval = 60s;
    for (const role r : {role::starting, role::leader, role::standby, role::detached}) {
        p.current_role = r;
        INFO(to_string(r));
        CHECK(is_healthy(p, t0, t0));
        CHECK(is_healthy(p, t0, t0 + 149s));
        CHECK_FALSE(is_healthy(p, t0, t0 + 150s));
    }
    SECTION("a standby promoted to leader starts from the previous leader's last sweep") {
        p.current_role = role::leader;
        p.leader_last_sweep_at = t0 + 1h;
        CHECK(is_healthy(p, t0, t0 + 1h + 149s));
        CHECK_FALSE(is_healthy(p, t0, t0 + 1h + 151s));
    }
}

TEST_CASE("a standby follows the leader's newest sweep", "[unit][health]") {
    platform_status p;
    p.current_role = role::standby;
    p.interval = 300s;
    p.leader_last_sweep_at = t0 - 600s;
    const auto started = t0 - 1h;
    CHECK(is_healthy(p, started, t0));
    CHECK(is_healthy(p, started, t0 + 149s));
    CHECK_FALSE(is_healthy(p, started, t0 + 151s));
    SECTION("its own old sweeps from when it led do not count") {
        p.last_good_sweep = sweep_summary{.started_at = t0,
                                          .finished_at = t0 + 100s,
                                          .status = "complete",
                                          .streams = 1,
                                          .pages = 1,
                                          .rows_written = 1,
                                          .spooled = false};
        CHECK_FALSE(is_healthy(p, started, t0 + 151s));
    }
}

TEST_CASE("the collector is healthy while every platform that runs is", "[unit][health]") {
    collector_status s = busy_collector();
    const auto finished = s.platforms[twitch].last_good_sweep->finished_at;
    CHECK(is_healthy(s, finished + 10s));
    s.platforms[kick].current_role = role::leader;
    s.platforms[kick].interval = 60s;
    CHECK_FALSE(is_healthy(s, finished + 10s)); // Kick has swept nothing in the hour
    s.platforms[kick].last_good_sweep = s.platforms[twitch].last_good_sweep;
    CHECK(is_healthy(s, finished + 10s));
    CHECK_FALSE(is_healthy(s, finished + 200s)); // Kick's interval is shorter
    SECTION("a platform that refused the collector is reported, not counted") {
        s.platforms[kick].current_role = role::stopped;
        CHECK(is_healthy(s, finished + 200s));
        s.platforms[twitch].current_role = role::stopped;
        CHECK_FALSE(is_healthy(s, finished + 200s)); // nothing runs
    }
}

TEST_CASE("health_json describes the collector and each platform", "[unit][health]") {
    const collector_status s = busy_collector();
    const json::value doc = json::parse(health_json(s, t0));
    const json::object& o = doc.as_object();
    CHECK(o.at("status") == "ok");
    CHECK(o.at("database") == "up");
    CHECK(o.at("spool").at("bytes") == 1234);
    CHECK(o.at("spool").at("files") == 2);
    CHECK(o.size() == 4);
    REQUIRE(o.at("platforms").as_object().size() == 1);
    const json::object& t = o.at("platforms").at("twitch").as_object();
    CHECK(t.at("status") == "ok");
    CHECK(t.at("role") == "leader");
    const json::object& sweep = t.at("last_sweep").as_object();
    CHECK(sweep.at("started_at") == "2027-01-15T07:57:20Z");
    CHECK(sweep.at("finished_at") == "2027-01-15T07:58:20.250000Z");
    CHECK(sweep.at("status") == "complete");
    CHECK(sweep.at("streams") == 98'765);
    CHECK(sweep.at("pages") == 990);
    CHECK(sweep.at("spooled") == false);
    CHECK(sweep.at("age_s").to_number<double>() == Approx(99.75));
    CHECK(t.at("leader_last_sweep_at").is_null());
    CHECK(t.at("token_expires_in_s") == 3600);
    CHECK(t.at("interval_s").to_number<double>() == 300.0);
    CHECK(t.size() == 6);

    SECTION("numbers are written as people read them") {
        const std::string text = health_json(s, t0);
        CHECK(text.find(R"("interval_s":300})") != std::string::npos);
        CHECK(text.find(R"("age_s":99.75})") != std::string::npos);
    }
}

TEST_CASE("health_json of a fresh standby, and of a platform left out", "[unit][health]") {
    collector_status s;
    s.started_at = t0;
    platform_status& p = s.platforms[twitch];
    p.current_role = role::standby;
    p.interval = std::chrono::duration<double>(0.5);
    p.leader_last_sweep_at = t0 - 1h;
    p.token_expires_at = t0 - 1500ms;
    const json::value doc = json::parse(health_json(s, t0));
    const json::object& o = doc.as_object();
    CHECK(o.at("status") == "failing");
    CHECK(o.at("database") == "down");
    const json::object& t = o.at("platforms").at("twitch").as_object();
    CHECK(t.at("status") == "failing");
    CHECK(t.at("role") == "standby");
    CHECK(t.at("last_sweep").is_null());
    CHECK(t.at("leader_last_sweep_at") == "2027-01-15T07:00:00Z");
    CHECK(t.at("token_expires_in_s") == -2); // expired: rounded down, never "0 s left"
    CHECK(t.at("interval_s").to_number<double>() == 0.5);

    p.token_expires_at.reset();
    p.last_sweep = sweep_summary{.started_at = t0,
                                 .finished_at = t0,
                                 .status = "fail\"ed\n\\",
                                 .streams = 0,
                                 .pages = 0,
                                 .rows_written = 0,
                                 .spooled = true};
    platform_status& k = s.platforms[kick];
    k.current_role = role::stopped;
    k.stopped_because = "Kick refused the app credentials (HTTP 401: invalid_client)";
    const json::value doc2 = json::parse(health_json(s, t0));
    const json::object& t2 = doc2.at("platforms").at("twitch").as_object();
    CHECK(t2.at("token_expires_in_s").is_null());
    CHECK(t2.at("last_sweep").at("status") == "fail\"ed\n\\");
    CHECK(t2.at("last_sweep").at("spooled") == true);
    const json::object& k2 = doc2.at("platforms").at("kick").as_object();
    CHECK(k2.at("status") == "stopped");
    CHECK(k2.at("role") == "stopped");
    CHECK(k2.at("stopped_because").as_string() == k.stopped_because);
}

namespace {

struct exposition {
    std::map<std::string, std::string> types; // family name -> counter / gauge
    std::map<std::string, double> samples;    // name{labels} -> value
    std::vector<std::string> problems;
};

// Reads the text format 0.0.4 strictly: every line is a HELP, a TYPE or a sample of a family
// whose TYPE came before, with all of a family's lines together.
exposition parse_exposition(const std::string& text) {
    static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) [^\n]+)");
    static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge))");
    static const std::regex sample(
        R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? ([^ ]+))");
    exposition out;
    std::set<std::string> finished; // families whose group of lines has ended
    std::string current;
    std::string helped;
    std::istringstream lines(text);
    std::string line;
    CHECK((!text.empty() && text.back() == '\n'));
    while (std::getline(lines, line)) {
        std::smatch m;
        std::string family;
        if (std::regex_match(line, m, help)) {
            family = m[1];
            helped = family;
        } else if (std::regex_match(line, m, type)) {
            family = m[1];
            if (helped != family) {
                out.problems.push_back("TYPE without HELP: " + line);
            }
            if (!out.types.emplace(family, m[2]).second) {
                out.problems.push_back("second TYPE: " + line);
            }
        } else if (std::regex_match(line, m, sample)) {
            family = m[1];
            if (!out.types.contains(family)) {
                out.problems.push_back("sample before its TYPE: " + line);
            }
            const std::string value = m[3];
            char* end = nullptr;
            const double v = std::strtod(value.c_str(), &end);
            if (end != value.c_str() + value.size()) {
                out.problems.push_back("bad value: " + line);
            }
            if (!out.samples.emplace(std::string(m[1]) + std::string(m[2]), v).second) {
                out.problems.push_back("duplicate sample: " + line);
            }
        } else {
            out.problems.push_back("unparsable: " + line);
            continue;
        }
        if (family != current) {
            if (finished.contains(family)) {
                out.problems.push_back("family split up: " + line);
            }
            finished.insert(current);
            current = family;
        }
    }
    return out;
}

} // namespace

TEST_CASE("metrics_text is valid exposition format with every metric", "[unit][health]") {
    const collector_status s = busy_collector();
    const exposition e = parse_exposition(metrics_text(s, t0));
    CHECK(e.problems.empty());
    for (const auto& p : e.problems) {
        UNSCOPED_INFO(p);
    }

    const std::map<std::string, std::string> families{
        {"sweeps_total", "counter"},
        {"pages_total", "counter"},
        {"requests_total", "counter"},
        {"retries_total", "counter"},
        {"rate_limited_total", "counter"},
        {"malformed_records_total", "counter"},
        {"rate_limit_remaining", "gauge"},
        {"last_sweep_duration_seconds", "gauge"},
        {"last_store_duration_seconds", "gauge"},
        {"last_sweep_streams", "gauge"},
        {"last_sweep_timestamp_seconds", "gauge"},
        {"rows_written_total", "counter"},
        {"sweeps_replayed_total", "counter"},
        {"leader", "gauge"},
        {"platform_up", "gauge"},
        {"platform_healthy", "gauge"},
        {"spool_bytes", "gauge"},
        {"spool_files", "gauge"},
        {"database_up", "gauge"},
        {"healthy", "gauge"},
    };
    std::map<std::string, std::string> expected_types;
    for (const auto& [name, type] : families) {
        expected_types["streamscope_collector_" + name] = type;
    }
    CHECK(e.types == expected_types);

    const std::map<std::string, double> expected{
        {R"(streamscope_collector_sweeps_total{platform="twitch",status="complete"})", 11},
        {R"(streamscope_collector_sweeps_total{platform="twitch",status="partial"})", 2},
        {R"(streamscope_collector_sweeps_total{platform="twitch",status="failed"})", 0},
        {R"(streamscope_collector_pages_total{platform="twitch"})", 10'890},
        {R"(streamscope_collector_requests_total{platform="twitch",code="0"})", 1},
        {R"(streamscope_collector_requests_total{platform="twitch",code="200"})", 12'000},
        {R"(streamscope_collector_requests_total{platform="twitch",code="429"})", 3},
        {R"(streamscope_collector_retries_total{platform="twitch"})", 4},
        {R"(streamscope_collector_rate_limited_total{platform="twitch"})", 3},
        {R"(streamscope_collector_malformed_records_total{platform="twitch"})", 5},
        {R"(streamscope_collector_rate_limit_remaining{platform="twitch"})", 777},
        {R"(streamscope_collector_last_sweep_duration_seconds{platform="twitch"})", 59.75},
        {R"(streamscope_collector_last_store_duration_seconds{platform="twitch"})", 0.625},
        {R"(streamscope_collector_last_sweep_streams{platform="twitch"})", 98'765},
        {R"(streamscope_collector_last_sweep_timestamp_seconds{platform="twitch"})",
         1'799'999'900.25},
        {R"(streamscope_collector_rows_written_total{platform="twitch"})", 1'086'415},
        {R"(streamscope_collector_sweeps_replayed_total{platform="twitch"})", 1},
        {R"(streamscope_collector_leader{platform="twitch"})", 1},
        {R"(streamscope_collector_platform_up{platform="twitch"})", 1},
        {R"(streamscope_collector_platform_healthy{platform="twitch"})", 1},
        {"streamscope_collector_spool_bytes", 1234},
        {"streamscope_collector_spool_files", 2},
        {"streamscope_collector_database_up", 1},
        {"streamscope_collector_healthy", 1},
    };
    for (const auto& [sample, value] : expected) {
        INFO(sample);
        REQUIRE(e.samples.contains(sample));
        CHECK(e.samples.at(sample) == value);
    }
    CHECK(e.samples.size() == expected.size());
}

TEST_CASE("metrics_text of two platforms keeps each family together", "[unit][health]") {
    collector_status s = busy_collector();
    s.platforms[kick] = busy_leader();
    s.platforms[kick].current_role = role::stopped;
    const exposition e = parse_exposition(metrics_text(s, t0));
    CHECK(e.problems.empty());
    for (const auto& p : e.problems) {
        UNSCOPED_INFO(p);
    }
    CHECK(e.samples.at(R"(streamscope_collector_pages_total{platform="kick"})") == 10'890);
    CHECK(e.samples.at(R"(streamscope_collector_platform_up{platform="kick"})") == 0);
    CHECK(e.samples.at(R"(streamscope_collector_platform_healthy{platform="kick"})") == 0);
    CHECK(e.samples.at("streamscope_collector_healthy") == 1);
}

TEST_CASE("metrics_text without a sweep, and with odd label values", "[unit][health]") {
    collector_status s;
    s.started_at = t0 - 1h;
    platform_status& p = s.platforms[twitch];
    p.current_role = role::standby;
    p.sweeps_by_status = {{"we\"ird\\\nstatus", 1}};
    const std::string text = metrics_text(s, t0);
    const exposition e = parse_exposition(text);
    CHECK(e.problems.empty());
    for (const auto& problem : e.problems) {
        UNSCOPED_INFO(problem);
    }
    CHECK(e.types.size() == 20);
    CHECK(
        text.find(
            R"(streamscope_collector_sweeps_total{platform="twitch",status="we\"ird\\\nstatus"} 1)") !=
        std::string::npos);
    // Unknown gauges have no sample rather than a misleading 0.
    for (const char* absent :
         {"rate_limit_remaining", "last_sweep_duration_seconds", "last_store_duration_seconds",
          "last_sweep_streams", "last_sweep_timestamp_seconds"}) {
        INFO(absent);
        CHECK_FALSE(e.samples.contains(std::string("streamscope_collector_") + absent +
                                       R"({platform="twitch"})"));
    }
    CHECK(e.samples.at(R"(streamscope_collector_leader{platform="twitch"})") == 0);
    CHECK(e.samples.at("streamscope_collector_database_up") == 0);
    CHECK(e.samples.at("streamscope_collector_healthy") == 0);
    CHECK(e.samples.at(
              R"(streamscope_collector_sweeps_total{platform="twitch",status="complete"})") == 0);
}

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

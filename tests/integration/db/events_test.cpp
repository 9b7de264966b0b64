#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "collector/events/storage.hpp"
#include "collector/events/sweep_events.hpp"
#include "common/db/sweep_writer.hpp"
#include "common/model/stream_item.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/sweep_builder.hpp"

using namespace streamscope;
using namespace streamscope::collector;
using testing::at;
using testing::make_stream;
using testing::make_sweep;

namespace {

std::vector<model::stream_observation> streams(long from, long to, time::timestamp started) {
    std::vector<model::stream_observation> out;
    for (long i = from; i < to; ++i) {
        out.push_back(make_stream(i, i, started));
    }
    return out;
}

// Stores `sweep` as the collector's store does: its events derived, written with it.
db::write_result store(pqxx::connection& conn, events::sweep_events& events,
                       const model::sweep& sweep) {
    events::derivation derived = events.prepare(conn, sweep);
    const db::write_result written = db::sweep_writer(conn).write(sweep, derived.events);
    if (written.stored) {
        events.stored(sweep, std::move(derived));
    }
    return written;
}

std::vector<std::string> stored_types(pqxx::connection& conn) {
    std::vector<std::string> out;
    for (const auto& row :
         pqxx::nontransaction(conn).exec("SELECT type || ' ' || channel FROM events ORDER BY id")) {
        out.push_back(row[0].as<std::string>());
    }
    return out;
}

events::event_rules rules() {
    events::event_rules r;
    r.top_size = 3;
    r.top_per_game = 0;
    r.viewer_thresholds = {30'000};
    return r;
}

} // namespace

TEST_CASE("a sweep's events are written with it, once, in order", "[db][events]") {
    testing::scratch_database db;
    auto conn = db.connect();
    events::sweep_events events(rules());
    const auto t0 = at("2026-11-25T10:00:00Z");
    const auto started = t0 - std::chrono::hours{1};
    // The platform's first sweep is a baseline.
    REQUIRE(store(*conn, events, make_sweep(t0, streams(0, 5, started))).events == 0);

    // Stream 0 ends, 5 starts; stream 4 (20,000 viewers, now 40,000) crosses the threshold
    // and enters the top 3.
    auto second = make_sweep(t0 + std::chrono::minutes{5}, streams(1, 6, started));
    second.streams[3].viewer_count = 40'000;
    second.ended.push_back({"stream-0", t0 + std::chrono::minutes{2}});
    const auto written = store(*conn, events, second);
    CHECK(written.events == 5);
    CHECK(stored_types(*conn) == std::vector<std::string>{"stream.ended user_0",
                                                          "stream.live user_5",
                                                          "viewers.crossed user_4",
                                                          "top.left user_0", "top.entered user_4"});
    const auto row = pqxx::nontransaction(*conn).exec1(R"(
        SELECT e.sweep_id = w.id, e.at = w.started_at, p.name, e.viewers, e.game_id
          FROM events e JOIN sweeps w ON w.id = e.sweep_id JOIN platforms p ON p.id = e.platform_id
         WHERE e.type = 'viewers.crossed')");
    CHECK(row[0].as<bool>());
    CHECK(row[1].as<bool>());
    CHECK(row[2].as<std::string>() == "twitch");
    CHECK(row[3].as<int>() == 40'000);
    CHECK(row[4].as<std::string>() == "game-4");

    // The same sweep again (a replayed spool): nothing, and no events twice.
    CHECK_FALSE(store(*conn, events, second).stored);
    CHECK(stored_types(*conn).size() == 5);
}

TEST_CASE("a view loaded from the database is the view the sweeps advanced", "[db][events]") {
    testing::scratch_database db;
    auto conn = db.connect();
    events::sweep_events events(rules());
    const auto t0 = at("2026-11-25T10:00:00Z");
    const auto started = t0 - std::chrono::hours{1};
    store(*conn, events, make_sweep(t0, streams(0, 8, started)));
    // Stream 7 is missed by the second sweep but still open.
    auto second = make_sweep(t0 + std::chrono::minutes{5}, streams(0, 7, started));
    second.streams[2].title = "renamed";
    second.streams[1].viewer_count.reset();
    store(*conn, events, second);

    const events::stream_view loaded = events::load_view(*conn, model::platform::twitch, rules());
    REQUIRE(loaded.sweep_at == t0 + std::chrono::minutes{5});
    CHECK(loaded.open.size() == 8);
    CHECK(loaded.open.at("stream-2").stream.title == "renamed");
    CHECK_FALSE(loaded.open.at("stream-1").stream.viewer_count);
    CHECK(loaded.open.at("stream-7").collected_at == t0); // its last sighting
    CHECK(loaded.open.at("stream-7").stream.viewer_count == 100'000 / 8);
    CHECK(loaded.open.at("stream-0").collected_at == t0 + std::chrono::minutes{5});
    REQUIRE(loaded.top_lists);
    CHECK(loaded.top_lists->top == events::ranking{"stream-0", "stream-2", "stream-3"});

    // A collector that starts now derives the third sweep's events from the loaded view,
    // exactly as the running one would.
    events::sweep_events restarted(rules());
    const auto third = make_sweep(t0 + std::chrono::minutes{10}, streams(0, 7, started));
    const auto from_loaded = restarted.prepare(*conn, third).events;
    const auto from_running = events.prepare(*conn, third).events;
    REQUIRE(from_loaded.size() == from_running.size());
    for (std::size_t i = 0; i < from_loaded.size(); ++i) {
        CHECK(from_loaded[i].type == from_running[i].type);
        CHECK(from_loaded[i].data == from_running[i].data);
    }
    // stream-2's title changed back; stream-1 shows its count again and re-enters the top.
    CHECK(from_loaded.size() == 3);
}

TEST_CASE("events older than the retention are deleted", "[db][events]") {
    testing::scratch_database db;
    auto conn = db.connect();
    events::sweep_events events(rules());
    const auto now =
        std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
    const auto t0 = now - std::chrono::hours{30};
    store(*conn, events, make_sweep(t0, streams(0, 3, t0)));
    store(*conn, events, make_sweep(t0 + std::chrono::minutes{5}, streams(1, 4, t0)));
    store(*conn, events, make_sweep(now, streams(2, 5, t0)));
    const auto before = stored_types(*conn).size();
    REQUIRE(before > 2);
    // The second sweep's three (stream 3 live; 0 left the top, 3 entered) are 30 hours old.
    CHECK(events::expire_events(*conn, std::chrono::hours{24}) == 3);
    CHECK(stored_types(*conn).size() == before - 3);
}

TEST_CASE("stream URLs: the SQL function says what the code says", "[db][events]") {
    testing::scratch_database db;
    auto conn = db.connect();
    for (const model::platform_info& p : model::platforms) {
        INFO(p.name);
        const auto sql = pqxx::nontransaction(*conn).exec_params1(
            "SELECT stream_url($1, 'some_login', 'user-1', 'video-1')", std::string(p.name));
        CHECK(sql[0].as<std::string>() == model::stream_url(p.id, "some_login", "video-1"));
    }
}

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "common/db/sweep_writer.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/sweep_builder.hpp"

using namespace streamscope;
using testing::at;
using testing::make_stream;
using testing::make_sweep;

namespace {

long long count(pqxx::connection& c, const std::string& sql) {
    return pqxx::nontransaction(c).exec(sql)[0][0].as<long long>();
}

std::vector<model::stream_observation> streams(long n, time::timestamp started) {
    std::vector<model::stream_observation> out;
    for (long i = 0; i < n; ++i) {
        out.push_back(make_stream(i, i, started));
    }
    return out;
}

} // namespace

TEST_CASE("a sweep is stored whole: sweep row, channels, games, streams, snapshots",
          "[db][writer]") {
    testing::scratch_database db;
    auto conn = db.connect();
    const auto t0 = at("2026-11-25T10:00:00Z");
    auto sweep = make_sweep(t0, streams(300, t0 - std::chrono::hours{1}));
    sweep.duplicates_dropped = 7;
    sweep.malformed_records = 2;

    const auto result = db::sweep_writer(*conn).write(sweep);
    CHECK(result.stored);
    CHECK(result.new_channels == 300);
    CHECK(result.new_streams == 300);
    CHECK(result.snapshots == 300);
    CHECK(result.state_changes == 0);

    CHECK(count(*conn, "SELECT count(*) FROM channels") == 300);
    CHECK(count(*conn, "SELECT count(*) FROM games") == 50);
    CHECK(count(*conn, "SELECT count(*) FROM streams WHERE game_id IS NULL") == 15);
    CHECK(count(*conn, "SELECT count(*) FROM snapshots") == 300);
    CHECK(count(*conn, "SELECT sum(viewer_count) FROM snapshots") ==
          count(*conn, "SELECT sum(100000 / (g + 1)) FROM generate_series(0, 299) g"));
    pqxx::nontransaction tx(*conn);
    const auto row = tx.exec("SELECT status, streams_seen, duplicates_dropped, started_at = "
                             "'2026-11-25T10:00:00Z', error IS NULL, malformed_records "
                             "FROM sweeps")[0];
    CHECK(row[0].as<std::string>() == "complete");
    CHECK(row[1].as<int>() == 300);
    CHECK(row[2].as<int>() == 7);
    CHECK(row[3].as<bool>());
    CHECK(row[4].as<bool>());
    CHECK(row[5].as<int>() == 2);
    // Every snapshot is reachable from its sweep through the compat view.
    CHECK(tx.exec("SELECT count(*), count(DISTINCT sweep_id) FROM compat.live_snapshots")[0][0]
              .as<int>() == 300);
}

TEST_CASE("writing the same sweep twice stores it once", "[db][writer]") {
    testing::scratch_database db;
    auto conn = db.connect();
    const auto t0 = at("2026-11-25T10:00:00Z");
    const auto sweep = make_sweep(t0, streams(50, t0));
    db::sweep_writer writer(*conn);
    CHECK(writer.write(sweep).stored);
    const auto again = writer.write(sweep);
    CHECK_FALSE(again.stored);
    CHECK(count(*conn, "SELECT count(*) FROM sweeps") == 1);
    CHECK(count(*conn, "SELECT count(*) FROM snapshots") == 50);
    CHECK(count(*conn, "SELECT count(*) FROM streams") == 50);
}

TEST_CASE("a channel live twice in one sweep takes the names of its newest broadcast",
          "[db][writer]") {
    testing::scratch_database db;
    auto conn = db.connect();
    const auto t0 = at("2026-11-25T10:00:00Z");
    // Channel 1 restarted its broadcast under a new name; the newer broadcast comes first in
    // the sweep, so the sweep's order must not decide. Channel 2 renamed itself between two
    // broadcasts that started together: the later one in the sweep wins.
    auto restarted = make_stream(1, 11, t0 - std::chrono::minutes{5});
    restarted.login = "new_login";
    restarted.display_name = "New_Login";
    auto first = make_stream(1, 10, t0 - std::chrono::hours{2});
    first.login = "old_login";
    auto tied_a = make_stream(2, 20, t0 - std::chrono::hours{1});
    auto tied_b = make_stream(2, 21, t0 - std::chrono::hours{1});
    tied_b.display_name = "Tied_B";
    const auto result = db::sweep_writer(*conn).write(
        make_sweep(t0, {restarted, make_stream(3, 30, t0), first, tied_a, tied_b}));
    CHECK(result.new_channels == 3);
    CHECK(result.new_streams == 5);

    pqxx::nontransaction tx(*conn);
    const auto names = tx.exec("SELECT platform_user_id, login, display_name, "
                               "(SELECT count(*) FROM streams s WHERE s.channel_id = c.id) "
                               "FROM channels c ORDER BY platform_user_id");
    REQUIRE(names.size() == 3);
    CHECK(names[0][1].as<std::string>() == "new_login");
    CHECK(names[0][2].as<std::string>() == "New_Login");
    CHECK(names[0][3].as<int>() == 2);
    CHECK(names[1][2].as<std::string>() == "Tied_B");
    CHECK(names[1][3].as<int>() == 2);
    CHECK(names[2][1].as<std::string>() == "user_3");
}

TEST_CASE("a stream whose channel or category id is empty is stored all the same", "[db][writer]") {
    testing::scratch_database db;
    auto conn = db.connect();
    const auto t0 = at("2026-11-25T10:00:00Z");
    auto anonymous = make_stream(1, 1, t0);
    anonymous.platform_user_id.clear();
    auto uncategorised = make_stream(2, 2, t0);
    uncategorised.platform_game_id.clear();
    uncategorised.game_name.clear();
    const auto result = db::sweep_writer(*conn).write(make_sweep(t0, {anonymous, uncategorised}));
    CHECK(result.new_streams == 2);
    CHECK(result.snapshots == 2);
    CHECK(count(*conn, "SELECT count(*) FROM snapshots") == 2);
    // No category is made of an empty id: the stream has none.
    CHECK(count(*conn, "SELECT count(*) FROM games WHERE platform_game_id = ''") == 0);
    CHECK(count(*conn, "SELECT count(*) FROM streams WHERE game_id IS NULL") == 1);
}

TEST_CASE("a later sweep writes only what changed, keeping the old state for old snapshots",
          "[db][writer]") {
    testing::scratch_database db;
    auto conn = db.connect();
    db::sweep_writer writer(*conn);
    const auto t0 = at("2026-11-25T10:00:00Z");
    const auto t1 = t0 + std::chrono::minutes{5};
    writer.write(make_sweep(t0, streams(20, t0)));

    auto next = streams(20, t0);
    next[3].title = "A new title";
    next[4].platform_game_id = "game-new";
    next[4].game_name = "Brand New Game";
    next[5].display_name = "RenamedUser";
    next[6].viewer_count = std::nullopt;       // hidden count
    next[7].game_name = "Game 7: Remastered";  // a category renamed, not a broadcast's change
    next.push_back(make_stream(100, 100, t1)); // a new channel going live
    const auto result = writer.write(make_sweep(t1, next));
    CHECK(result.new_channels == 1);
    CHECK(result.new_streams == 1);
    CHECK(result.state_changes == 2);
    CHECK(result.snapshots == 21);

    CHECK(count(*conn, "SELECT count(*) FROM stream_states") == 2);
    CHECK(count(*conn, "SELECT count(*) FROM channels WHERE display_name = 'RenamedUser' "
                       "AND updated_at > created_at") == 1);
    CHECK(count(*conn, "SELECT count(*) FROM games WHERE name = 'Game 7: Remastered' "
                       "AND updated_at > created_at") == 1);
    // Unchanged broadcasts were not rewritten: their state is still that of the first sweep.
    CHECK(count(*conn, "SELECT count(*) FROM streams WHERE state_since = first_seen_at") == 19);
    pqxx::nontransaction tx(*conn);
    const auto titles = tx.exec(
        "SELECT collected_at = '2026-11-25T10:00:00Z', title, game_name, viewer_count "
        "FROM compat.live_snapshots WHERE stream_id IN ('stream-3', 'stream-4', 'stream-6') "
        "ORDER BY stream_id, collected_at");
    REQUIRE(titles.size() == 6);
    CHECK(titles[0][1].as<std::string>().starts_with("Stream 3 of channel 3"));
    CHECK(titles[1][1].as<std::string>() == "A new title");
    CHECK(titles[2][2].as<std::string>() == "Game 4");
    CHECK(titles[3][2].as<std::string>() == "Brand New Game");
    CHECK_FALSE(titles[4][3].is_null());
    CHECK(titles[5][3].is_null());
}

// Each row's xmin changes whenever the row is rewritten.
std::string row_versions(pqxx::connection& c, const std::string& table) {
    return pqxx::nontransaction(c)
        .exec("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM " + table)[0][0]
        .as<std::string>();
}

TEST_CASE("a sweep in which only viewer counts moved rewrites no broadcast or channel",
          "[db][writer]") {
    testing::scratch_database db;
    auto conn = db.connect();
    db::sweep_writer writer(*conn);
    const auto t0 = at("2026-11-25T10:00:00Z");
    auto live = streams(50, t0);
    writer.write(make_sweep(t0, live));
    const std::string streams_before = row_versions(*conn, "streams");
    const std::string channels_before = row_versions(*conn, "channels");

    for (auto& s : live) {
        s.viewer_count = *s.viewer_count + 7;
    }
    const auto result = writer.write(make_sweep(t0 + std::chrono::minutes{5}, live));
    CHECK(result.snapshots == 50);
    CHECK(result.new_streams == 0);
    CHECK(result.state_changes == 0);
    CHECK(row_versions(*conn, "streams") == streams_before);
    CHECK(row_versions(*conn, "channels") == channels_before);
    CHECK(count(*conn, "SELECT count(*) FROM snapshots WHERE collected_at = "
                       "'2026-11-25T10:05:00Z'") == 50);
    CHECK(count(*conn, "SELECT sum(viewer_count) FROM snapshots WHERE collected_at = "
                       "'2026-11-25T10:05:00Z'") ==
          count(*conn, "SELECT sum(100000 / (g + 1) + 7) FROM generate_series(0, 49) g"));

    // A rename is stored once: the sweep after it finds nothing changed again.
    live[7].display_name = "Renamed";
    writer.write(make_sweep(t0 + std::chrono::minutes{10}, live));
    const std::string streams_after_rename = row_versions(*conn, "streams");
    CHECK(streams_after_rename != streams_before);
    CHECK(count(*conn, "SELECT count(*) FROM channels WHERE display_name = 'Renamed'") == 1);
    writer.write(make_sweep(t0 + std::chrono::minutes{15}, live));
    CHECK(row_versions(*conn, "streams") == streams_after_rename);
}

TEST_CASE("broadcasts stored before state keys existed are compared in full once", "[db][writer]") {
    testing::scratch_database db;
    auto conn = db.connect();
    db::sweep_writer writer(*conn);
    const auto t0 = at("2026-11-25T10:00:00Z");
    auto live = streams(10, t0);
    writer.write(make_sweep(t0, live));
    pqxx::nontransaction(*conn).exec("UPDATE streams SET state_key = NULL"); // as after 0004

    live[2].title = "Changed while upgrading";
    const auto result = writer.write(make_sweep(t0 + std::chrono::minutes{5}, live));
    CHECK(result.snapshots == 10);
    CHECK(result.new_streams == 0);
    CHECK(result.state_changes == 1);
    CHECK(count(*conn, "SELECT count(*) FROM streams WHERE state_key IS NULL") == 0);
    CHECK(count(*conn, "SELECT count(*) FROM stream_states") == 1);
}

TEST_CASE("a late sweep older than a broadcast's state leaves the state alone", "[db][writer]") {
    testing::scratch_database db;
    auto conn = db.connect();
    db::sweep_writer writer(*conn);
    const auto t0 = at("2026-11-25T10:00:00Z");
    auto live = streams(3, t0);
    writer.write(make_sweep(t0, live));
    auto renamed = live;
    renamed[1].title = "The newer title";
    writer.write(make_sweep(t0 + std::chrono::minutes{10}, renamed));

    // The sweep between them arrives last (from the spool), still with the old title.
    const auto late = writer.write(make_sweep(t0 + std::chrono::minutes{5}, live));
    CHECK(late.stored);
    CHECK(late.snapshots == 3);
    CHECK(late.state_changes == 0);
    pqxx::nontransaction tx(*conn);
    CHECK(tx.exec("SELECT title FROM streams WHERE platform_stream_id = 'stream-1'")[0][0]
              .as<std::string>() == "The newer title");
    const auto titles = tx.exec("SELECT title FROM compat.live_snapshots "
                                "WHERE stream_id = 'stream-1' ORDER BY collected_at");
    REQUIRE(titles.size() == 3);
    CHECK(titles[0][0].as<std::string>() == live[1].title);
    CHECK(titles[1][0].as<std::string>() == live[1].title);
    CHECK(titles[2][0].as<std::string>() == "The newer title");
}

TEST_CASE("enrichment and ended broadcasts are applied with the sweep", "[db][writer]") {
    testing::scratch_database db;
    auto conn = db.connect();
    db::sweep_writer writer(*conn);
    const auto t0 = at("2026-11-25T10:00:00Z");
    const auto t1 = t0 + std::chrono::minutes{5};
    writer.write(make_sweep(t0, streams(5, t0)));

    auto sweep = make_sweep(t1, streams(4, t0));
    sweep.profiles.push_back(
        {"user-1", "Bio with ünïcödé", "https://img/1.png", "partner", at("2015-05-05T05:05:05Z")});
    sweep.followers.push_back({"user-2", 123456});
    sweep.games.push_back({"game-1", "Game 1", "https://box/{width}x{height}.jpg", "4242"});
    sweep.ended.push_back({"stream-4", t0});
    writer.write(sweep);

    pqxx::nontransaction tx(*conn);
    auto profile = tx.exec("SELECT description, broadcaster_type, account_created_at = "
                           "'2015-05-05T05:05:05Z', profile_refreshed_at = '2026-11-25T10:05:00Z' "
                           "FROM channels WHERE platform_user_id = 'user-1'")[0];
    CHECK(profile[0].as<std::string>() == "Bio with ünïcödé");
    CHECK(profile[1].as<std::string>() == "partner");
    CHECK(profile[2].as<bool>());
    CHECK(profile[3].as<bool>());
    CHECK(tx.exec("SELECT follower_count FROM channels WHERE platform_user_id = 'user-2'")[0][0]
              .as<long long>() == 123456);
    CHECK(tx.exec("SELECT igdb_id FROM games WHERE platform_game_id = 'game-1'")[0][0]
              .as<std::string>() == "4242");
    CHECK(tx.exec("SELECT ended_at = '2026-11-25T10:00:00Z' FROM streams "
                  "WHERE platform_stream_id = 'stream-4'")[0][0]
              .as<bool>());
    CHECK(tx.exec("SELECT count(*) FROM streams WHERE ended_at IS NULL")[0][0].as<int>() == 4);
}

TEST_CASE("a profile that does not say a description or type leaves the stored one",
          "[db][writer]") {
    testing::scratch_database db;
    auto conn = db.connect();
    db::sweep_writer writer(*conn);
    const auto t0 = at("2026-11-25T10:00:00Z");
    auto first = make_sweep(t0, streams(2, t0));
    first.profiles.push_back({"user-0", "Old bio", "https://img/0.png", "partner", {}});
    writer.write(first);

    // A platform that knows only the picture (Kick's listing): the rest stays as it was, and a
    // channel never described keeps NULL, not "".
    auto second = make_sweep(t0 + std::chrono::minutes{5}, streams(2, t0));
    second.profiles.push_back({"user-0", std::nullopt, "https://img/0b.png", std::nullopt, {}});
    second.profiles.push_back({"user-1", std::nullopt, "https://img/1.png", std::nullopt, {}});
    writer.write(second);

    pqxx::nontransaction tx(*conn);
    const auto kept = tx.exec("SELECT description, broadcaster_type, profile_image_url FROM "
                              "channels WHERE platform_user_id = 'user-0'")[0];
    CHECK(kept[0].as<std::string>() == "Old bio");
    CHECK(kept[1].as<std::string>() == "partner");
    CHECK(kept[2].as<std::string>() == "https://img/0b.png");
    const auto blank =
        tx.exec("SELECT description IS NULL, broadcaster_type IS NULL, "
                "profile_image_url FROM channels WHERE platform_user_id = 'user-1'")[0];
    CHECK(blank[0].as<bool>());
    CHECK(blank[1].as<bool>());
    CHECK(blank[2].as<std::string>() == "https://img/1.png");
}

TEST_CASE("a sweep that fails midway leaves nothing behind", "[db][writer]") {
    testing::scratch_database db;
    auto conn = db.connect();
    const auto t0 = at("2026-11-25T10:00:00Z");
    auto bad = streams(100, t0);
    bad[99].viewer_count = -5; // violates the snapshots CHECK after everything else is written
    CHECK_THROWS_AS(db::sweep_writer(*conn).write(make_sweep(t0, bad)), pqxx::check_violation);
    for (const char* table : {"sweeps", "channels", "games", "streams", "snapshots"}) {
        INFO(table);
        CHECK(count(*conn, std::string("SELECT count(*) FROM ") + table) == 0);
    }
    // The same sweep, corrected, is then stored as if nothing had happened.
    bad[99].viewer_count = 5;
    CHECK(db::sweep_writer(*conn).write(make_sweep(t0, bad)).stored);
}

TEST_CASE("a stored sweep is announced with NOTIFY on commit", "[db][writer]") {
    testing::scratch_database db;
    auto listener_conn = db.connect();
    struct receiver final : pqxx::notification_receiver {
        using pqxx::notification_receiver::notification_receiver;
        std::vector<std::string> payloads;
        void operator()(const std::string& payload, int) override { payloads.push_back(payload); }
    } listener(*listener_conn, "streamscope_sweep");

    auto conn = db.connect();
    const auto t0 = at("2026-11-25T10:00:00Z");
    const auto result = db::sweep_writer(*conn).write(make_sweep(t0, streams(3, t0)));
    listener_conn->await_notification(5, 0);
    REQUIRE(listener.payloads.size() == 1);
    CHECK(listener.payloads[0] == "twitch:" + std::to_string(result.sweep_id));
}

TEST_CASE("a platform's first sweep is written as quickly when the statistics know only another",
          "[db][writer]") {
    // A database that swept Kick, with statistics to match: as far as the planner knows, no
    // channel is Twitch's. Twitch's first sweep must not be planned as if it held a handful of
    // streams (a nested loop over 20,000 x 20,000 rows runs for minutes).
    testing::scratch_database db;
    auto conn = db.connect();
    const auto t0 = at("2026-11-25T10:00:00Z");
    auto kick = make_sweep(t0, streams(20000, t0 - std::chrono::hours{1}));
    kick.source = model::platform::kick;
    REQUIRE(db::sweep_writer(*conn).write(kick).stored);
    pqxx::nontransaction(*conn).exec("ANALYZE");
    pqxx::nontransaction(*conn).exec("SET statement_timeout = '15s'");

    const auto twitch = db::sweep_writer(*conn).write(
        make_sweep(t0 + std::chrono::minutes{1}, streams(20000, t0 - std::chrono::hours{1})));
    CHECK(twitch.new_streams == 20000);
    CHECK(twitch.snapshots == 20000);
    CHECK(count(*conn, "SELECT count(*) FROM snapshots s JOIN streams st ON st.id = s.stream_id "
                       "WHERE st.platform_id = 1") == 20000);
    // Its channels are in the statistics it committed: the next sweep is planned for them.
    const auto plan =
        pqxx::nontransaction(*conn)
            .exec("EXPLAIN (FORMAT JSON) SELECT * FROM channels WHERE platform_id = 1")[0][0]
            .as<std::string>();
    INFO(plan);
    const std::string rows = "\"Plan Rows\": ";
    const auto found = plan.find(rows);
    REQUIRE(found != std::string::npos);
    CHECK(std::stol(plan.substr(found + rows.size())) > 15000);
}

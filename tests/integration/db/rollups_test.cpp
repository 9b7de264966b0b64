#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "common/db/rollups.hpp"
#include "common/db/sweep_writer.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/sweep_builder.hpp"

using namespace streamscope;
using namespace std::chrono;
using testing::at;

namespace {

// Every row of every rollup table, as text, in a fixed order.
std::string dump_rollups(pqxx::connection& c) {
    std::string out;
    pqxx::nontransaction tx{c};
    for (const char* table :
         {"rollup_channel_hours", "rollup_channel_days", "rollup_channel_day_totals",
          "rollup_channel_last_days", "rollup_game_hours", "rollup_game_days",
          "rollup_language_hours", "rollup_platform_hours", "rollup_broadcasts"}) {
        out += std::string(table) + "\n";
        // When an hour was folded differs between runs; whether it was must not.
        const std::string row_text =
            std::string(table) == "rollup_platform_hours"
                ? "(t.platform_id, t.hour, t.covered_ms, t.watched_ms, t.channel_ms, "
                  "t.peak_viewers, t.peak_channels, t.folded_at IS NOT NULL)::text"
                : "t::text";
        for (const auto& row :
             tx.exec("SELECT " + row_text + " AS r FROM " + table + " t ORDER BY r")) {
            out += row[0].as<std::string>() + "\n";
        }
    }
    return out;
}

// What the test wrote: sweep times and, per sweep, the streams (channel, stream, viewers, game).
struct written_stream {
    long channel;
    long stream;
    std::optional<int> viewers; // nullopt: hidden
    std::string game;           // platform game id; "" none
};

struct seeded {
    std::vector<time::timestamp> sweeps;
    std::vector<std::vector<written_stream>> streams;
};

// Sweeps every 10 minutes across a UTC midnight, with two missing sweeps (a 30-minute gap,
// counted whole) and a 50-minute outage (counted as 30 minutes), a channel that streams two
// broadcasts at once for a while, one that changes game, and viewer counts that move. Some
// counts are hidden (YouTube's, NULL): one of channel 2's broadcasts hides its count now and
// then (while the other runs beside it, and while it runs alone), channel 5 hides it from the
// second day on, channel 6 always.
seeded seed(pqxx::connection& c) {
    seeded out;
    const time::timestamp first = at("2020-03-01T22:00:00.250Z");
    db::sweep_writer writer{c};
    for (int i = 0; i <= 27; ++i) {
        if (i == 6 || i == 7 || (i >= 19 && i <= 22)) {
            continue; // the collector was away
        }
        const time::timestamp t = first + minutes(10 * i);
        std::vector<written_stream> now;
        now.push_back({1, 1, 1000 + 10 * i, "game-1"});
        if (i >= 3 && i <= 15) {
            now.push_back({2, 2, 500 - i, "game-2"});
        }
        if (i >= 10 && i <= 24) {
            // channel 2's second broadcast, overlapping
            now.push_back({2, 3, i % 4 == 0 ? std::nullopt : std::optional<int>(40), "game-2"});
        }
        if (i >= 2) {
            now.push_back({3, 4, 77 + i % 3, i < 12 ? "game-3" : "game-1"});
        }
        now.push_back({5, 5, i < 12 ? std::optional<int>(200 + i) : std::nullopt, "game-5"});
        if (i >= 5) {
            now.push_back({6, 6, std::nullopt, "game-6"});
        }
        std::vector<model::stream_observation> obs;
        for (const auto& s : now) {
            auto o = testing::make_stream(s.channel, s.stream, first);
            o.viewer_count = s.viewers;
            o.platform_game_id = s.game;
            o.game_name = "Game " + s.game;
            obs.push_back(std::move(o));
        }
        writer.write(testing::make_sweep(t, std::move(obs)));
        CHECK(db::roll_up_pending(c, 1) >= 0);
        while (db::fold_next_hour(c, 1) > 0) {
        }
        out.sweeps.push_back(t);
        out.streams.push_back(std::move(now));
    }
    return out;
}

std::optional<long long> nullable(const pqxx::field& f) {
    return f.is_null() ? std::nullopt : std::optional<long long>(f.as<long long>());
}

// A channel's hour: hours watched, streamed and counted (ms), and its peak (none when no count
// was known).
using channel_hour = std::tuple<long long, long long, long long, std::optional<long long>>;

} // namespace

TEST_CASE("rollups follow each sweep, count gaps once, keep hidden counts unknown, and equal a "
          "rebuild from raw snapshots",
          "[db][rollups]") {
    testing::scratch_database db;
    auto conn = db.connect();
    const seeded data = seed(*conn);

    // What the rollups must say, computed here from what was written: each sweep but the last
    // stands for the time to the next one, at most 30 minutes. A channel's viewers in a sweep
    // are the counts its broadcasts showed, unknown when every one was hidden; a game's and the
    // platform's add the counts shown.
    std::map<std::pair<long, std::string>, channel_hour> channels;
    std::map<std::pair<std::string, std::string>, std::tuple<long long, long long, long long>>
        games;
    long long platform_watched = 0;
    for (std::size_t i = 0; i + 1 < data.sweeps.size(); ++i) {
        const long long span = std::min<long long>(
            duration_cast<milliseconds>(data.sweeps[i + 1] - data.sweeps[i]).count(), 1'800'000);
        const auto hour = floor<hours>(data.sweeps[i]);
        const std::string hour_text = time::format_rfc3339(time::timestamp(hour));
        std::map<long, std::optional<long long>> by_channel;
        std::map<std::string, long long> by_game;
        for (const auto& s : data.streams[i]) {
            auto& viewers = by_channel[s.channel];
            if (s.viewers) {
                viewers = viewers.value_or(0) + *s.viewers;
            }
            by_game[s.game] += s.viewers.value_or(0);
            platform_watched += s.viewers.value_or(0) * span;
        }
        // Channel rows come with the hour's fold: all but the newest sweep's hour.
        for (const auto& [channel, viewers] : by_channel) {
            if (hour == floor<hours>(data.sweeps.back())) {
                break;
            }
            auto& [watched, live, counted, peak] = channels[{channel, hour_text}];
            live += span; // two broadcasts at once: the channel was live once
            if (viewers) {
                watched += *viewers * span;
                counted += span;
                peak = std::max(peak.value_or(0), *viewers);
            }
        }
        for (const auto& [game, viewers] : by_game) {
            auto& [watched, peak_viewers, unused] = games[{game, hour_text}];
            watched += viewers * span;
            peak_viewers = std::max(peak_viewers, viewers);
        }
    }

    {
        pqxx::nontransaction tx{*conn};
        std::map<std::pair<long, std::string>, channel_hour> stored;
        for (const auto& row :
             tx.exec("SELECT substr(c.login, 6)::int, to_char(r.hour AT TIME ZONE 'UTC', "
                     "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), sum(r.watched_ms), sum(r.live_ms), "
                     "sum(r.counted_ms), max(r.peak_viewers) "
                     "FROM rollup_channel_hours r JOIN channels c ON c.id = r.channel_id "
                     "GROUP BY 1, 2")) {
            stored[{row[0].as<long>(), row[1].as<std::string>()}] = {
                row[2].as<long long>(), row[3].as<long long>(), row[4].as<long long>(),
                nullable(row[5])};
        }
        CHECK(stored == channels);

        std::map<std::pair<std::string, std::string>, std::tuple<long long, long long, long long>>
            stored_games;
        for (const auto& row :
             tx.exec("SELECT g.platform_game_id, to_char(r.hour AT TIME ZONE 'UTC', "
                     "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), r.watched_ms, r.peak_viewers "
                     "FROM rollup_game_hours r JOIN games g ON g.id = r.game_id")) {
            stored_games[{row[0].as<std::string>(), row[1].as<std::string>()}] = {
                row[2].as<long long>(), row[3].as<long long>(), 0};
        }
        CHECK(stored_games == games);
        CHECK(tx.exec1("SELECT sum(watched_ms) FROM rollup_platform_hours")[0].as<long long>() ==
              platform_watched);
        // Days follow completed hours: all but the newest sweep's hour.
        const char* folded =
            " WHERE hour < (SELECT date_trunc('hour', max(started_at)) FROM sweeps)";
        CHECK(tx.exec1("SELECT sum(watched_ms) FROM rollup_channel_days")[0].as<long long>() ==
              tx.exec1(std::string("SELECT sum(watched_ms) FROM rollup_channel_hours") + folded)[0]
                  .as<long long>());
        CHECK(tx.exec1("SELECT sum(watched_ms) FROM rollup_game_days")[0].as<long long>() ==
              tx.exec1(std::string("SELECT sum(watched_ms) FROM rollup_game_hours") + folded)[0]
                  .as<long long>());
        // A channel's day in one row: the sums of its rows per game and language, the
        // channel's previous and next days (the seed crosses midnight, so some have them), and
        // its hours watched, streamed and counted over its earlier days.
        const char* totals_from_days =
            "SELECT channel_id, day, platform_id, sum(watched_ms), sum(live_ms), "
            "sum(counted_ms), max(peak_viewers), COALESCE(lag(day) OVER w, '-infinity'), "
            "COALESCE(lead(day) OVER w, 'infinity'), COALESCE(sum(sum(watched_ms)) OVER b, 0), "
            "COALESCE(sum(sum(live_ms)) OVER b, 0), COALESCE(sum(sum(counted_ms)) OVER b, 0) "
            "FROM rollup_channel_days "
            "GROUP BY channel_id, day, platform_id WINDOW w AS (PARTITION BY channel_id ORDER BY "
            "day), b AS (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)";
        const char* totals = "SELECT channel_id, day, platform_id, watched_ms, live_ms, "
                             "counted_ms, peak_viewers, prev_day, next_day, watched_before_ms, "
                             "live_before_ms, counted_before_ms FROM rollup_channel_day_totals";
        std::string differ = "SELECT count(*) FROM ((";
        differ.append(totals_from_days).append(" EXCEPT ").append(totals);
        differ.append(") UNION ALL (").append(totals).append(" EXCEPT ");
        differ.append(totals_from_days).append(")) x");
        CHECK(tx.exec1(differ)[0].as<int>() == 0);
        CHECK(tx.exec1("SELECT count(*) FROM rollup_channel_day_totals "
                       "WHERE prev_day > '-infinity' AND watched_before_ms > 0 "
                       "AND live_before_ms > 0")[0]
                  .as<int>() > 0);
        CHECK(tx.exec1("SELECT count(*) FROM rollup_channel_day_totals "
                       "WHERE next_day < 'infinity'")[0]
                  .as<int>() > 0);
        // Channel 5 showed its count on the first day only: its second day was streamed, but
        // nothing was counted, and has no peak; its running total counts the first day's. So
        // is each of channel 6's days, which never showed one.
        const auto day_totals = [&](const std::string& login) {
            std::string out;
            for (const auto& row :
                 tx.exec("SELECT t.day, t.live_ms > 0, t.counted_ms = t.live_ms, t.counted_ms, "
                         "COALESCE(t.peak_viewers::text, 'null'), t.counted_before_ms "
                         "FROM rollup_channel_day_totals t JOIN channels c ON c.id = t.channel_id "
                         "WHERE c.login = '" +
                         login + "' ORDER BY t.day")) {
                for (const auto& field : row) {
                    out += field.c_str() + std::string(" ");
                }
                out += "\n";
            }
            return out;
        };
        // 22:00 to 24:00 counted (the 30-minute gap whole).
        CHECK(day_totals("user_5") == "2020-03-01 t t 7200000 211 0 \n"
                                      "2020-03-02 t f 0 null 7200000 \n");
        CHECK(day_totals("user_6") == "2020-03-01 t f 0 null 0 \n"
                                      "2020-03-02 t f 0 null 0 \n");
        // The newest sweep waits for its successor.
        CHECK(tx.exec1("SELECT count(*) FROM sweeps WHERE rolled_up_at IS NULL")[0].as<int>() == 1);
        // Broadcasts: channel 2's first one ran from sweep 3 to 15.
        const auto b = tx.exec1("SELECT r.snapshots, r.peak_viewers FROM rollup_broadcasts r "
                                "JOIN streams s ON s.id = r.stream_id "
                                "WHERE s.platform_stream_id = 'stream-2'");
        CHECK(b[0].as<int>() == 11); // sweeps 3..15 but for the missing 6 and 7
        CHECK(b[1].as<int>() == 497);
        // A broadcast counts the time its count was shown, and its peak among those counts.
        const auto hidden = tx.exec("SELECT s.platform_stream_id, r.live_ms, r.counted_ms, "
                                    "r.peak_viewers FROM rollup_broadcasts r "
                                    "JOIN streams s ON s.id = r.stream_id "
                                    "WHERE s.platform_stream_id IN ('stream-5', 'stream-6') "
                                    "ORDER BY 1");
        REQUIRE(hidden.size() == 2);
        CHECK(hidden[0][2].as<long long>() == 7'200'000);
        CHECK(hidden[0][3].as<int>() == 211);
        CHECK(hidden[1][1].as<long long>() > 0);
        CHECK(hidden[1][2].as<long long>() == 0);
        CHECK(hidden[1][3].is_null());
    }

    const std::string incremental = dump_rollups(*conn);
    std::vector<std::pair<std::size_t, std::size_t>> steps;
    const auto record = [&](std::size_t done, std::size_t total) {
        steps.emplace_back(done, total);
    };

    // Rebuilding only the second day touches broadcasts that began on the first.
    const auto partial = db::rebuild_rollups(*conn, floor<days>(at("2020-03-02T00:00:00Z")),
                                             floor<days>(at("2020-03-03T00:00:00Z")), record);
    CHECK(partial.sweeps > 0);
    CHECK(dump_rollups(*conn) == incremental);

    steps.clear();
    const auto whole = db::rebuild_rollups(*conn, floor<days>(at("2020-03-01T00:00:00Z")),
                                           floor<days>(at("2020-03-03T00:00:00Z")), record);
    CHECK(whole.sweeps == data.sweeps.size());
    CHECK(dump_rollups(*conn) == incremental);
    REQUIRE_FALSE(steps.empty());
    CHECK(steps.front().first == 0);
    CHECK(steps.back().first == steps.back().second);
}

// Writes a sweep of `streams` streams (each its own channel, 100 viewers) at `t` and rolls up
// what it completed.
void write_and_roll_up(pqxx::connection& c, time::timestamp t, int streams) {
    std::vector<model::stream_observation> obs;
    for (int s = 0; s < streams; ++s) {
        auto o = testing::make_stream(s, s, at("2020-03-01T09:00:00Z"));
        o.viewer_count = 100;
        obs.push_back(std::move(o));
    }
    db::sweep_writer{c}.write(testing::make_sweep(t, std::move(obs)));
    REQUIRE(db::roll_up_pending(c, 1) >= 0);
}

TEST_CASE("a sweep's rollup leaves its hour to the fold, which folds each complete hour once",
          "[db][rollups]") {
    testing::scratch_database db;
    auto conn = db.connect();
    for (const char* t : {"2020-03-01T10:50:00Z", "2020-03-01T10:55:00Z", "2020-03-01T11:00:00Z",
                          "2020-03-01T11:05:00Z"}) {
        write_and_roll_up(*conn, at(t), 3);
    }
    const auto count = [&](const std::string& sql) {
        return pqxx::nontransaction(*conn).exec1(sql)[0].as<long long>();
    };
    const std::string folded_hours =
        "SELECT count(*) FROM rollup_platform_hours WHERE folded_at IS NOT NULL";
    // Hour 10 is complete (both its sweeps rolled up, 11:00 follows): its games and platform
    // figures are there, its channels' come with the fold.
    CHECK(count("SELECT sum(watched_ms) FROM rollup_platform_hours") == 3 * 100 * 3 * 300'000LL);
    CHECK(count("SELECT count(*) FROM rollup_channel_hours") == 0);
    CHECK(count("SELECT count(*) FROM rollup_channel_days") == 0);
    CHECK(count(folded_hours) == 0);

    // Another session folding (a rebuild) holds it off.
    auto other = db.connect();
    pqxx::nontransaction(*other).exec(
        "SELECT pg_advisory_lock(hashtext('streamscope.rollups.fold'))");
    CHECK(db::fold_next_hour(*conn, 1) == -1);
    // Released as a rebuild does: closing the connection would release it only once the
    // server has noticed, which may be after the next fold.
    pqxx::nontransaction(*other).exec(
        "SELECT pg_advisory_unlock(hashtext('streamscope.rollups.fold'))");
    other.reset();

    CHECK(db::fold_next_hour(*conn, 1) == 1);
    CHECK(count("SELECT count(*) FROM rollup_channel_hours") == 3);
    CHECK(count("SELECT sum(watched_ms) FROM rollup_channel_days") == 3 * 100 * 2 * 300'000LL);
    CHECK(count("SELECT count(*) FROM rollup_broadcasts") == 3);
    CHECK(count(folded_hours) == 1);
    // Hour 11 waits for its 11:05 sweep's rollup, which waits for a successor.
    CHECK(db::fold_next_hour(*conn, 1) == 0);
    CHECK(count("SELECT sum(watched_ms) FROM rollup_channel_days") == 3 * 100 * 2 * 300'000LL);

    write_and_roll_up(*conn, at("2020-03-01T12:00:00Z"), 3);
    CHECK(db::fold_next_hour(*conn, 1) == 1);
    CHECK(db::fold_next_hour(*conn, 1) == 0);
    // 11:05 stands for the 30 minutes at most that a sweep does.
    CHECK(count("SELECT sum(watched_ms) FROM rollup_channel_days") ==
          3 * 100 * (3 * 300'000LL + 1'800'000));
    CHECK(count("SELECT sum(snapshots) FROM rollup_broadcasts") == 3 * 4);
    CHECK(count(folded_hours) == 2);
}

TEST_CASE("the rollup functions plan each call for the sweep at hand, without JIT",
          "[db][rollups]") {
    // A generic plan kept by PL/pgSQL, made while sweeps were small, took minutes on the
    // first large one (sql/functions/rollup_sweep.sql says more). A CREATE OR REPLACE sets
    // only the settings it states: this notices a function file that does not state them.
    testing::scratch_database db;
    auto conn = db.connect();
    pqxx::nontransaction tx{*conn};
    const std::string functions = "p.proname IN ('rollup_sweep', 'rollup_fold_hour', "
                                  "'rollup_fold_days', 'rollup_fold_followers', "
                                  "'rollup_fold_pending', 'rollup_rebuild_broadcasts', "
                                  "'rollup_refresh_leaderboards', 'rollup_fold_day_totals')";
    // proconfig is NULL for a function without settings.
    for (const auto& row :
         tx.exec("SELECT p.proname FROM pg_proc p WHERE " + functions +
                 " AND NOT COALESCE(p.proconfig @> "
                 "ARRAY['plan_cache_mode=force_custom_plan', 'jit=off'], false)")) {
        FAIL_CHECK(row[0].as<std::string>() << " lacks plan_cache_mode or jit settings");
    }
    CHECK(tx.exec1("SELECT count(*) FROM pg_proc p WHERE " + functions)[0].as<int>() == 8);
}

TEST_CASE("expired rollups are deleted, younger ones stay", "[db][rollups]") {
    testing::scratch_database db;
    auto conn = db.connect();
    seed(*conn);
    const auto count = [&] {
        pqxx::nontransaction tx{*conn};
        return tx
            .exec1("SELECT (SELECT count(*) FROM rollup_channel_hours) + "
                   "(SELECT count(*) FROM rollup_channel_days) + "
                   "(SELECT count(*) FROM rollup_broadcasts)")[0]
            .as<long long>();
    };
    const long long before = count();
    REQUIRE(before > 0);
    // Seeded on 1-2 March 2020: kept with a cutoff before that, gone with one after.
    CHECK(db::expire_rollups(*conn, at("2020-03-10T00:00:00Z"), 30) == 0);
    CHECK(count() == before);
    CHECK(db::expire_rollups(*conn, at("2020-03-10T00:00:00Z"), 1) > before); // all tables
    CHECK(count() == 0);
    CHECK(pqxx::nontransaction(*conn).exec1("SELECT count(*) FROM rollup_game_days")[0].as<int>() ==
          0);
}

TEST_CASE("a day's follower total names the total before it and its neighbours' days, and a "
          "rebuild leaves totals be",
          "[db][rollups]") {
    testing::scratch_database db;
    auto conn = db.connect();
    db::sweep_writer writer{*conn};
    // One channel live from 10:00 to 10:40 on three days; its follower total as each day's
    // sweeps report it (the second day's changes within the day, the third's falls). The
    // empty sweeps at 11:00 and 11:05 complete the hour.
    const std::vector<std::vector<long>> reported{{100}, {200, 210}, {205}};
    for (int day = 0; day < 3; ++day) {
        const auto midnight = at("2020-03-01T00:00:00Z") + std::chrono::days(day);
        for (const int minute : {0, 20, 40, 60, 65}) {
            std::vector<model::stream_observation> live;
            if (minute < 60) {
                live.push_back(testing::make_stream(1, 1 + day, midnight + hours(10)));
            }
            auto sweep = testing::make_sweep(midnight + hours(10) + minutes(minute), live);
            if (const auto i = static_cast<std::size_t>(minute / 20); i < reported[day].size()) {
                sweep.followers.push_back({"user-1", reported[day][i]});
            }
            writer.write(sweep);
            REQUIRE(db::roll_up_pending(*conn, 1) >= 0);
            while (db::fold_next_hour(*conn, 1) > 0) {
            }
        }
    }
    const auto totals = [&] {
        std::string out;
        for (const auto& row : pqxx::nontransaction(*conn).exec(
                 "SELECT day, followers, COALESCE(prev_followers::text, '-'), prev_day, next_day "
                 "FROM channel_follower_days ORDER BY day")) {
            out += row[0].as<std::string>() + " " + row[1].as<std::string>() + " " +
                   row[2].as<std::string>() + " " + row[3].as<std::string>() + " " +
                   row[4].as<std::string>() + "\n";
        }
        return out;
    };
    // Each total also links the channel's previous and next day with one
    // (sql/functions/rollup_fold_followers.sql).
    const std::string expected = "2020-03-01 100 - -infinity 2020-03-02\n"
                                 "2020-03-02 210 100 2020-03-01 2020-03-03\n"
                                 "2020-03-03 205 210 2020-03-02 infinity\n";
    CHECK(totals() == expected);
    // The total the channel has now (205) is not the first day's.
    db::rebuild_rollups(*conn, floor<days>(at("2020-03-01T00:00:00Z")),
                        floor<days>(at("2020-03-02T00:00:00Z")), [](std::size_t, std::size_t) {});
    CHECK(totals() == expected);
}

TEST_CASE("the day windows' leaderboards are ranked again when the day totals or the day change",
          "[db][rollups]") {
    testing::scratch_database db;
    auto conn = db.connect();
    seed(*conn);
    const auto today = floor<days>(at("2020-03-02T12:00:00Z"));
    CHECK(db::refresh_leaderboards(*conn, today));
    CHECK_FALSE(db::refresh_leaderboards(*conn, today)); // current already
    const auto query = [&](const std::string& sql) {
        return pqxx::nontransaction(*conn).exec1(sql)[0].as<std::string>();
    };
    // 7, 30 and 90 days, 2 sorts, every platform and each one.
    CHECK(query("SELECT count(*) FROM rollup_channel_leaderboards WHERE to_day = '2020-03-03'") ==
          std::to_string(3 * 2 * 4));
    for (const char* key : {"watched_ms", "live_ms"}) {
        const std::string sort = key == std::string("live_ms") ? "hours_streamed" : "hours_watched";
        CHECK(query("SELECT channel_ids::text FROM rollup_channel_leaderboards "
                    "WHERE from_day = '2020-02-24' AND platform = '' AND sort = '" +
                    sort + "'") ==
              query(std::string("SELECT array_agg(channel_id ORDER BY v DESC, channel_id)::text "
                                "FROM (SELECT channel_id, sum(") +
                    key + ") AS v FROM rollup_channel_day_totals GROUP BY channel_id) x"));
    }
    // Any write to the day totals (a rebuild of a day) makes them stale, and so does a new day.
    db::rebuild_rollups(*conn, floor<days>(at("2020-03-02T00:00:00Z")),
                        floor<days>(at("2020-03-03T00:00:00Z")), [](std::size_t, std::size_t) {});
    CHECK(query("SELECT count(*) FROM rollup_channel_leaderboards l "
                "JOIN rollup_day_version v ON v.version = l.version") == "0");
    CHECK(db::refresh_leaderboards(*conn, today));
    CHECK(db::refresh_leaderboards(*conn, today + days(1)));
    CHECK(query("SELECT min(to_day)::text FROM rollup_channel_leaderboards") == "2020-03-04");
}

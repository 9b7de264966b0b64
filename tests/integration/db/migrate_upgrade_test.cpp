// Databases migrated by earlier code, upgraded by this code, against a fresh one:
// - fixtures/v12_before_repeatables.sql.gz: made at commit 2245dff (the last before function
//   and view files), whose numbered migrations defined every function;
// - fixtures/v17_before_hidden_counts.sql.gz: made at commit 68940c8 (schema version 17, with
//   the rollup functions of every commit before migration 0019), whose rollups counted a
//   hidden viewer count as 0 viewers and had no counted time.
// Each was made by `streamscope-collector migrate` on an empty database, then `pg_dump --inserts
// --no-owner --no-privileges` (schema_migrations' rows with their checksums included; psql's
// \restrict lines removed so that it runs as one query), gzipped. They are kept as they were
// made: they stand for the databases deployed before each change.

#include <algorithm>
#include <fstream>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "common/db/migrate.hpp"
#include "common/db/rollups.hpp"
#include "common/db/sweep_writer.hpp"
#include "tests/support/gunzip.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/source_tree.hpp"
#include "tests/support/sweep_builder.hpp"

using namespace streamscope;
using namespace std::chrono;
using testing::at;

namespace {

// Restores fixtures/`name` (see above) into the empty database `db`.
void restore_fixture(const testing::scratch_database& db, const std::string& name) {
    const std::string path =
        std::string(testing::source_dir) + "/tests/integration/db/fixtures/" + name;
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream compressed;
    compressed << in.rdbuf();
    // On a connection of its own: the dump empties search_path for its session.
    auto conn = db.connect();
    pqxx::nontransaction(*conn).exec(testing::gunzip(compressed.str()));
}

// One line (or definition) per object, sorted, of everything a migration makes but the daily
// partitions (named by the day they were made): tables with their storage options, columns,
// constraints, indexes and comments; functions (pg_trgm's left out), views and triggers.
std::string schema_text(pqxx::connection& c) {
    constexpr const char* own_relations = R"(
        SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ('public', 'compat') AND NOT c.relispartition
           AND c.relname NOT IN ('schema_migrations', 'schema_repeatables'))";
    const std::string query = std::string("WITH own AS (") + own_relations + R"()
        SELECT format('relation %s %s %s', c.oid::regclass, c.relkind, c.reloptions)
          FROM pg_class c WHERE c.oid IN (SELECT oid FROM own) AND c.relkind IN ('r', 'p', 'v')
        UNION ALL
        SELECT format('column %s %s %s %s %s %s %s %s', a.attrelid::regclass, a.attnum,
                      a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                      a.attidentity, pg_get_expr(d.adbin, d.adrelid),
                      col_description(a.attrelid, a.attnum))
          FROM pg_attribute a
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid IN (SELECT oid FROM own) AND a.attnum > 0 AND NOT a.attisdropped
        UNION ALL
        SELECT format('constraint %s %s %s', conrelid::regclass, conname,
                      pg_get_constraintdef(oid))
          FROM pg_constraint WHERE conrelid IN (SELECT oid FROM own)
        UNION ALL
        SELECT 'index ' || pg_get_indexdef(indexrelid)
          FROM pg_index WHERE indrelid IN (SELECT oid FROM own)
        UNION ALL
        SELECT 'function ' || pg_get_functiondef(p.oid)
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname IN ('public', 'compat')
           AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = p.oid AND e.deptype = 'e')
        UNION ALL
        SELECT format('view %s %s', oid::regclass, pg_get_viewdef(oid))
          FROM pg_class WHERE oid IN (SELECT oid FROM own) AND relkind = 'v'
        UNION ALL
        SELECT 'trigger ' || pg_get_triggerdef(oid)
          FROM pg_trigger WHERE tgrelid IN (SELECT oid FROM own) AND NOT tgisinternal
        ORDER BY 1)";
    std::string out;
    for (const auto& row : pqxx::nontransaction(c).exec(query)) {
        out += row[0].as<std::string>() + "\n";
    }
    return out;
}

// Every rollup row, as text. When a sweep was rolled up or an hour folded differs between
// databases; whether it was must not. So must the version of the day totals that leaderboards
// were ranked from: only whether it is the current one counts.
std::string rollups_text(pqxx::connection& c) {
    std::string out;
    pqxx::nontransaction tx{c};
    for (const std::string row_text :
         {"'rollup_channel_hours ' || t::text FROM rollup_channel_hours t",
          "'rollup_channel_days ' || t::text FROM rollup_channel_days t",
          "'rollup_channel_day_totals ' || t::text FROM rollup_channel_day_totals t",
          "'rollup_channel_last_days ' || t::text FROM rollup_channel_last_days t",
          "'rollup_game_hours ' || t::text FROM rollup_game_hours t",
          "'rollup_game_days ' || t::text FROM rollup_game_days t",
          "'rollup_language_hours ' || t::text FROM rollup_language_hours t",
          "'rollup_platform_hours ' || (t.platform_id, t.hour, t.covered_ms, t.watched_ms, "
          "t.channel_ms, t.peak_viewers, t.peak_channels, t.folded_at IS NOT NULL)::text "
          "FROM rollup_platform_hours t",
          "'rollup_broadcasts ' || t::text FROM rollup_broadcasts t",
          "'channel_follower_days ' || t::text FROM channel_follower_days t",
          "'rollup_channel_leaderboards ' || (t.from_day, t.to_day, t.platform, t.sort, "
          "t.channel_ids, t.version = v.version)::text "
          "FROM rollup_channel_leaderboards t, rollup_day_version v",
          "'sweeps ' || (t.id, t.started_at, t.rolled_up_at IS NOT NULL)::text FROM sweeps t"}) {
        for (const auto& row : tx.exec("SELECT " + row_text + " ORDER BY 1")) {
            out += row[0].as<std::string>() + "\n";
        }
    }
    return out;
}

// The embedded migrations from `first` on: what an upgrade from first - 1 applies, later
// migrations included.
std::vector<int> versions_from(int first) {
    std::vector<int> out;
    for (const auto& m : db::embedded_migrations()) {
        if (m.version >= first) {
            out.push_back(m.version);
        }
    }
    return out;
}

// Every rollup row by the columns it had before 0019 (which adds some), and the leaderboards:
// the figures a database at 0017 or 0018 answered from.
std::string figures_before_0019(pqxx::connection& c) {
    std::string out;
    pqxx::nontransaction tx{c};
    for (const std::string row_text :
         {"'rollup_channel_hours ' || (t.channel_id, t.hour, t.game_id, t.language, "
          "t.platform_id, t.watched_ms, t.live_ms, t.peak_viewers)::text "
          "FROM rollup_channel_hours t",
          "'rollup_channel_days ' || (t.channel_id, t.day, t.game_id, t.language, t.platform_id, "
          "t.watched_ms, t.live_ms, t.peak_viewers)::text FROM rollup_channel_days t",
          "'rollup_channel_day_totals ' || (t.channel_id, t.day, t.platform_id, t.watched_ms, "
          "t.live_ms, t.peak_viewers, t.prev_day, t.next_day, t.watched_before_ms, "
          "t.live_before_ms)::text FROM rollup_channel_day_totals t",
          "'rollup_channel_last_days ' || t::text FROM rollup_channel_last_days t",
          "'rollup_broadcasts ' || (t.stream_id, t.channel_id, t.platform_id, t.watched_ms, "
          "t.live_ms, t.peak_viewers, t.snapshots, t.first_at, t.last_at)::text "
          "FROM rollup_broadcasts t",
          "'rollup_game_hours ' || t::text FROM rollup_game_hours t",
          "'rollup_game_days ' || t::text FROM rollup_game_days t",
          "'rollup_language_hours ' || t::text FROM rollup_language_hours t",
          "'rollup_platform_hours ' || t::text FROM rollup_platform_hours t",
          "'channel_follower_days ' || t::text FROM channel_follower_days t",
          "'rollup_channel_leaderboards ' || (t.from_day, t.to_day, t.platform, t.sort, "
          "t.channel_ids, t.version = v.version)::text "
          "FROM rollup_channel_leaderboards t, rollup_day_version v"}) {
        for (const auto& row : tx.exec("SELECT " + row_text + " ORDER BY 1")) {
            out += row[0].as<std::string>() + "\n";
        }
    }
    return out;
}

// Sweep `i` of a night every 10 minutes from 22:00 UTC, with a 30-minute gap: channel 1 live
// throughout with a follower total that grows, channel 2 with two broadcasts at once for a
// while, channel 3 changing game, channel 4 from sweep 14 on. From sweep 20 on (after the
// fixtures' code has stopped writing), some counts are hidden: channel 4's always, channel 3's
// every other sweep.
model::sweep night_sweep(int i) {
    const time::timestamp first = at("2020-03-01T22:00:00.250Z");
    std::vector<model::stream_observation> live;
    const auto add = [&](long channel, long stream, std::optional<int> viewers,
                         const std::string& game) {
        auto s = testing::make_stream(channel, stream, first);
        s.viewer_count = viewers;
        s.platform_game_id = game;
        s.game_name = "Game " + game;
        live.push_back(std::move(s));
    };
    add(1, 1, 1000 + 10 * i, "game-1");
    if (i >= 3 && i <= 15) {
        add(2, 2, 500 - i, "game-2");
    }
    if (i >= 10 && i <= 24) {
        add(2, 3, 40, "game-2");
    }
    const bool hiding = i >= 20;
    if (i >= 2) {
        add(3, 4, hiding && i % 2 == 1 ? std::nullopt : std::optional<int>(77 + i % 3),
            i < 12 ? "game-3" : "game-1");
    }
    if (i >= 14) {
        add(4, 5, hiding ? std::nullopt : std::optional<int>(300 + i), "game-4");
    }
    auto sweep = testing::make_sweep(first + minutes(10 * i), std::move(live));
    sweep.followers.push_back({"user-1", 100 + 7 * (i / 5)});
    return sweep;
}

// Stores the night's sweeps [from, to) as the collector does: each rolled up once it has a
// successor, each complete hour folded, the leaderboards ranked again.
void store_night(pqxx::connection& c, int from, int to) {
    db::sweep_writer writer{c};
    for (int i = from; i < to; ++i) {
        if (i >= 6 && i <= 8) {
            continue; // the collector was away
        }
        writer.write(night_sweep(i));
        REQUIRE(db::roll_up_pending(c, 1) >= 0);
        while (db::fold_next_hour(c, 1) > 0) {
        }
    }
    db::refresh_leaderboards(c, floor<days>(at("2020-03-02T12:00:00Z")));
}

} // namespace

TEST_CASE("a database migrated before function files upgrades to what a fresh one is, and its "
          "rollups go on as a fresh database's",
          "[db][migrate]") {
    testing::scratch_database landed(false);
    restore_fixture(landed, "v12_before_repeatables.sql.gz");
    auto upgraded = landed.connect();
    // Versioned migrations newer than the fixture (version 12) change tables the writer writes:
    // they come first, as in the upgrade itself, before any function is replaced. Up to 0018:
    // 0019 changes the tables that the landed rollup functions write (the next test upgrades
    // across it).
    const auto all = db::embedded_migrations();
    const auto at_0019 = std::find_if(all.begin(), all.end(),
                                      [](const db::migration& m) { return m.version == 19; });
    REQUIRE(at_0019 != all.end());
    const std::span<const db::migration> newer(all.begin() + 12, at_0019);
    REQUIRE((newer.front().version == 13 && newer.back().version == 18));
    db::migrate(*upgraded, newer, {});
    // Half the night is rolled up with the functions as the landed migrations defined them.
    store_night(*upgraded, 0, 14);

    const auto upgrade =
        db::migrate(*upgraded, db::embedded_migrations(), db::embedded_repeatables());
    CHECK(upgrade.applied == versions_from(19));
    CHECK(upgrade.repeatables_applied.size() == db::embedded_repeatables().size());
    for (const auto& m : db::embedded_migrations()) {
        CHECK(pqxx::nontransaction(*upgraded)
                  .exec_params1("SELECT checksum FROM schema_migrations WHERE version = $1",
                                m.version)[0]
                  .as<std::string>() == db::checksum(m.sql));
    }
    const auto again =
        db::migrate(*upgraded, db::embedded_migrations(), db::embedded_repeatables());
    CHECK(again.applied.empty());
    CHECK(again.updated_checksums.empty());
    CHECK(again.repeatables_applied.empty());

    testing::scratch_database fresh_db;
    auto fresh = fresh_db.connect();
    CHECK(schema_text(*upgraded) == schema_text(*fresh));

    store_night(*fresh, 0, 14);
    store_night(*upgraded, 14, 28);
    store_night(*fresh, 14, 28);
    CHECK(rollups_text(*upgraded) == rollups_text(*fresh));

    // A rebuild of the first day, by the same functions now.
    for (auto* conn : {upgraded.get(), fresh.get()}) {
        db::rebuild_rollups(*conn, floor<days>(at("2020-03-01T00:00:00Z")),
                            floor<days>(at("2020-03-02T00:00:00Z")),
                            [](std::size_t, std::size_t) {});
    }
    CHECK(rollups_text(*upgraded) == rollups_text(*fresh));
}

TEST_CASE("a database at 0017 upgrades across 0019 with every rollup figure it had, its "
          "counted time its live time, and its rollups go on as a fresh database's",
          "[db][migrate][rollups]") {
    testing::scratch_database landed(false);
    restore_fixture(landed, "v17_before_hidden_counts.sql.gz");
    auto upgraded = landed.connect();
    REQUIRE(db::schema_version(*upgraded) == 17);
    // The night until 01:10 (no count hidden yet: the first hour of the second day folded)
    // rolled up and folded by 0017's functions.
    store_night(*upgraded, 0, 20);
    const std::string before = figures_before_0019(*upgraded);

    const auto upgrade =
        db::migrate(*upgraded, db::embedded_migrations(), db::embedded_repeatables());
    CHECK(upgrade.applied == versions_from(18));
    CHECK(figures_before_0019(*upgraded) == before);
    // Nothing was hidden before: each row's time with a known count is its live time, and the
    // running totals of it are those of live time.
    const auto count = [&](const std::string& sql) {
        return pqxx::nontransaction(*upgraded).exec1(sql)[0].as<long long>();
    };
    for (const char* table : {"rollup_channel_hours", "rollup_channel_days",
                              "rollup_channel_day_totals", "rollup_broadcasts"}) {
        INFO(table);
        CHECK(count(std::string("SELECT count(*) FROM ") + table) > 0);
        CHECK(count(std::string("SELECT count(*) FROM ") + table +
                    " WHERE counted_ms IS DISTINCT FROM live_ms OR peak_viewers IS NULL") == 0);
    }
    CHECK(count("SELECT count(*) FROM rollup_channel_day_totals "
                "WHERE counted_before_ms IS DISTINCT FROM live_before_ms") == 0);
    CHECK(count("SELECT count(*) FROM rollup_channel_day_totals WHERE counted_before_ms > 0") > 0);

    testing::scratch_database fresh_db;
    auto fresh = fresh_db.connect();
    CHECK(schema_text(*upgraded) == schema_text(*fresh));

    // The rest of the night, with hidden counts, by this code's functions on both.
    store_night(*fresh, 0, 20);
    store_night(*upgraded, 20, 28);
    store_night(*fresh, 20, 28);
    CHECK(count("SELECT count(*) FROM rollup_channel_day_totals WHERE counted_ms < live_ms") > 0);
    CHECK(rollups_text(*upgraded) == rollups_text(*fresh));
    for (auto* conn : {upgraded.get(), fresh.get()}) {
        db::rebuild_rollups(*conn, floor<days>(at("2020-03-01T00:00:00Z")),
                            floor<days>(at("2020-03-03T00:00:00Z")),
                            [](std::size_t, std::size_t) {});
    }
    CHECK(rollups_text(*upgraded) == rollups_text(*fresh));
}

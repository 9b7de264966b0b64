#include <thread>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "common/db/migrate.hpp"
#include "tests/support/scratch_database.hpp"

using namespace streamscope;

namespace {

std::vector<std::string> columns_of(pqxx::connection& c, const std::string& relation) {
    std::vector<std::string> out;
    pqxx::nontransaction tx(c);
    for (const auto& row : tx.exec_params(
             "SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 "
             "AND NOT attisdropped ORDER BY attnum",
             relation)) {
        out.push_back(row[0].as<std::string>());
    }
    return out;
}

} // namespace

TEST_CASE("migrate builds the schema once; running it again is a no-op", "[db][migrate]") {
    testing::scratch_database db(false);
    auto conn = db.connect();
    CHECK(db::schema_version(*conn) == 0);

    const auto first = db::migrate(*conn, db::embedded_migrations(), db::embedded_repeatables());
    CHECK(first.from_version == 0);
    CHECK(first.applied.size() == db::embedded_migrations().size());
    CHECK(db::schema_version(*conn) == db::embedded_migrations().back().version);

    const auto again = db::migrate(*conn, db::embedded_migrations(), db::embedded_repeatables());
    CHECK(again.applied.empty());
    CHECK(again.to_version == first.to_version);
    CHECK(pqxx::nontransaction(*conn)
              .exec("SELECT count(*) FROM schema_migrations")[0][0]
              .as<int>() == static_cast<int>(db::embedded_migrations().size()));
}

TEST_CASE("the compatibility views keep the original design's columns in order", "[db][migrate]") {
    testing::scratch_database db;
    auto conn = db.connect();
    CHECK(columns_of(*conn, "compat.channels") ==
          std::vector<std::string>{"id", "platform", "channel_id", "username", "display_name",
                                   "description", "profile_image_url", "follower_count",
                                   "created_at", "updated_at"});
    CHECK(columns_of(*conn, "compat.live_snapshots") ==
          std::vector<std::string>{"id", "channel_id", "title", "game_name", "game_id",
                                   "viewer_count", "language", "started_at", "collected_at",
                                   "thumbnail_url", "stream_url", "sweep_id", "stream_id"});
    CHECK(pqxx::nontransaction(*conn)
              .exec("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")[0][0]
              .as<int>() == 1);
}

TEST_CASE("a database with a newer schema is refused and left alone", "[db][migrate]") {
    testing::scratch_database db;
    auto conn = db.connect();
    pqxx::nontransaction(*conn).exec("INSERT INTO schema_migrations (version, name, checksum) "
                                     "VALUES (999, '0999_future.sql', 'x')");
    try {
        db::migrate(*conn, db::embedded_migrations(), db::embedded_repeatables());
        FAIL("migrate accepted a newer schema");
    } catch (const db::schema_refused& e) {
        CHECK(std::string(e.what()).find("version 999") != std::string::npos);
        CHECK(std::string(e.what()).find("newer Streamscope") != std::string::npos);
    }
    CHECK(db::schema_version(*conn) == 999);
}

TEST_CASE("an applied migration that was edited is refused", "[db][migrate]") {
    testing::scratch_database db;
    auto conn = db.connect();
    pqxx::nontransaction(*conn).exec(
        "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
    CHECK_THROWS_AS(db::migrate(*conn, db::embedded_migrations(), db::embedded_repeatables()),
                    db::schema_refused);
}

TEST_CASE("a failing migration is rolled back and leaves earlier ones applied", "[db][migrate]") {
    testing::scratch_database db;
    auto conn = db.connect();
    std::vector<db::migration> with_broken(db::embedded_migrations().begin(),
                                           db::embedded_migrations().end());
    const int next = with_broken.back().version + 1;
    with_broken.push_back(
        {next, "9999_broken.sql", "CREATE TABLE half_done (x int); SELECT * FROM no_such_table;"});
    CHECK_THROWS(db::migrate(*conn, with_broken, db::embedded_repeatables()));
    CHECK(pqxx::nontransaction(*conn)
              .exec("SELECT to_regclass('half_done') IS NULL")[0][0]
              .as<bool>());
    CHECK(db::schema_version(*conn) == next - 1);
}

TEST_CASE("processes migrating at once apply each migration exactly once", "[db][migrate]") {
    testing::scratch_database db(false);
    std::vector<std::thread> workers;
    std::atomic<int> applied{0};
    std::atomic<int> repeatables_applied{0};
    std::atomic<int> failures{0};
    for (int i = 0; i < 4; ++i) {
        workers.emplace_back([&] {
            try {
                auto conn = db.connect();
                const auto result =
                    db::migrate(*conn, db::embedded_migrations(), db::embedded_repeatables());
                applied += static_cast<int>(result.applied.size());
                repeatables_applied += static_cast<int>(result.repeatables_applied.size());
            } catch (const std::exception&) {
                ++failures;
            }
        });
    }
    for (auto& w : workers) {
        w.join();
    }
    CHECK(failures == 0);
    CHECK(applied == static_cast<int>(db::embedded_migrations().size()));
    CHECK(repeatables_applied == static_cast<int>(db::embedded_repeatables().size()));
}

TEST_CASE("an applied migration recorded with one of its earlier texts is upgraded, not run again",
          "[db][migrate]") {
    testing::scratch_database db(false);
    auto conn = db.connect();
    const std::string_view before = "CREATE TABLE kept (x int); CREATE FUNCTION gone() "
                                    "RETURNS int LANGUAGE sql AS 'SELECT 1';";
    const std::string_view after = "CREATE TABLE kept (x int);";
    const std::vector<db::migration> landed{{1, "0001_kept.sql", before}};
    REQUIRE(db::migrate(*conn, landed, {}).applied == std::vector<int>{1});

    const std::string before_checksum = db::checksum(before);
    const std::vector<std::string_view> earlier{before_checksum};
    const std::vector<db::migration> edited{{1, "0001_kept.sql", after, earlier}};
    // Run again, its CREATE TABLE would fail.
    const auto upgraded = db::migrate(*conn, edited, {});
    CHECK(upgraded.applied.empty());
    CHECK(upgraded.updated_checksums == std::vector<int>{1});
    const auto recorded = [&] {
        return pqxx::nontransaction(*conn)
            .exec1("SELECT checksum FROM schema_migrations WHERE version = 1")[0]
            .as<std::string>();
    };
    CHECK(recorded() == db::checksum(after));
    CHECK(db::migrate(*conn, edited, {}).updated_checksums.empty());

    // A text that is neither the current one nor a listed earlier one is still refused, also
    // when the database recorded an earlier one.
    const std::vector<db::migration> edited_again{
        {1, "0001_kept.sql", "CREATE TABLE kept (x bigint);", earlier}};
    CHECK_THROWS_AS(db::migrate(*conn, edited_again, {}), db::schema_refused);
    pqxx::nontransaction(*conn).exec_params(
        "UPDATE schema_migrations SET checksum = $1 WHERE version = 1", before_checksum);
    const std::vector<db::migration> without_earlier{{1, "0001_kept.sql", after}};
    CHECK_THROWS_AS(db::migrate(*conn, without_earlier, {}), db::schema_refused);
    CHECK(recorded() == before_checksum);
}

TEST_CASE("a function file is applied when it is new or changed, once, in its order",
          "[db][migrate]") {
    testing::scratch_database db(false);
    auto conn = db.connect();
    pqxx::nontransaction(*conn).exec("CREATE TABLE applications (name text, n serial)");
    const std::vector<db::migration> none;
    // Each text leaves a row in `applications` when it is applied.
    const auto file = [](std::string_view name, std::string_view body) {
        return "CREATE OR REPLACE FUNCTION " + std::string(name) +
               "() RETURNS text LANGUAGE sql AS $$ SELECT '" + std::string(body) +
               "'::text $$; INSERT INTO applications (name) VALUES ('" + std::string(name) + "');";
    };
    const std::string first = file("first", "one");
    const std::string second = file("second", "two");
    const std::string second_edited = file("second", "two, edited");
    const std::vector<db::repeatable> files{{"functions/first.sql", first},
                                            {"functions/second.sql", second}};
    const std::vector<db::repeatable> edited{{"functions/first.sql", first},
                                             {"functions/second.sql", second_edited}};
    const auto applications = [&] {
        std::string out;
        for (const auto& row :
             pqxx::nontransaction(*conn).exec("SELECT name FROM applications ORDER BY n")) {
            out += row[0].as<std::string>() + " ";
        }
        return out;
    };
    const auto second_says = [&] {
        return pqxx::nontransaction(*conn).exec1("SELECT second()")[0].as<std::string>();
    };

    CHECK(db::migrate(*conn, none, files).repeatables_applied ==
          std::vector<std::string>{"functions/first.sql", "functions/second.sql"});
    CHECK(db::migrate(*conn, none, files).repeatables_applied.empty());
    CHECK(applications() == "first second ");

    CHECK(db::migrate(*conn, none, edited).repeatables_applied ==
          std::vector<std::string>{"functions/second.sql"});
    CHECK(second_says() == "two, edited");
    CHECK(db::migrate(*conn, none, edited).repeatables_applied.empty());
    CHECK(applications() == "first second second ");

    // The text of the database is the binary's: going back to the first text applies it again.
    CHECK(db::migrate(*conn, none, files).repeatables_applied ==
          std::vector<std::string>{"functions/second.sql"});
    CHECK(second_says() == "two");
}

TEST_CASE("a function file that fails is rolled back and tried again on the next run",
          "[db][migrate]") {
    testing::scratch_database db(false);
    auto conn = db.connect();
    const std::vector<db::migration> none;
    const std::vector<db::repeatable> broken{
        {"functions/fine.sql", "CREATE OR REPLACE VIEW fine AS SELECT 1 AS one;"},
        {"functions/broken.sql", "CREATE OR REPLACE VIEW half AS SELECT 1; SELECT no_such();"}};
    CHECK_THROWS(db::migrate(*conn, none, broken));
    const auto exists = [&](const char* relation) {
        return pqxx::nontransaction(*conn)
            .exec_params1("SELECT to_regclass($1) IS NOT NULL", relation)[0]
            .as<bool>();
    };
    CHECK(exists("fine"));
    CHECK_FALSE(exists("half"));
    const std::vector<db::repeatable> fixed{
        broken[0], {"functions/broken.sql", "CREATE OR REPLACE VIEW half AS SELECT 1;"}};
    CHECK(db::migrate(*conn, none, fixed).repeatables_applied ==
          std::vector<std::string>{"functions/broken.sql"});
    CHECK(exists("half"));
}

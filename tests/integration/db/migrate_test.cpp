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

    const auto first = db::migrate(*conn, db::embedded_migrations());
    CHECK(first.from_version == 0);
    CHECK(first.applied.size() == db::embedded_migrations().size());
    CHECK(db::schema_version(*conn) == db::embedded_migrations().back().version);

    const auto again = db::migrate(*conn, db::embedded_migrations());
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
        db::migrate(*conn, db::embedded_migrations());
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
    CHECK_THROWS_AS(db::migrate(*conn, db::embedded_migrations()), db::schema_refused);
}

TEST_CASE("a failing migration is rolled back and leaves earlier ones applied", "[db][migrate]") {
    testing::scratch_database db;
    auto conn = db.connect();
    std::vector<db::migration> with_broken(db::embedded_migrations().begin(),
                                           db::embedded_migrations().end());
    const int next = with_broken.back().version + 1;
    with_broken.push_back(
        {next, "9999_broken.sql", "CREATE TABLE half_done (x int); SELECT * FROM no_such_table;"});
    CHECK_THROWS(db::migrate(*conn, with_broken));
    CHECK(pqxx::nontransaction(*conn)
              .exec("SELECT to_regclass('half_done') IS NULL")[0][0]
              .as<bool>());
    CHECK(db::schema_version(*conn) == next - 1);
}

TEST_CASE("processes migrating at once apply each migration exactly once", "[db][migrate]") {
    testing::scratch_database db(false);
    std::vector<std::thread> workers;
    std::atomic<int> applied{0};
    std::atomic<int> failures{0};
    for (int i = 0; i < 4; ++i) {
        workers.emplace_back([&] {
            try {
                auto conn = db.connect();
                applied +=
                    static_cast<int>(db::migrate(*conn, db::embedded_migrations()).applied.size());
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
}

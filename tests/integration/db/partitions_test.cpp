#include <chrono>
#include <future>
#include <thread>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "common/db/partitions.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/sweep_builder.hpp"

using namespace streamscope;
using testing::at;

namespace {

std::vector<std::string> partitions(pqxx::connection& c) {
    std::vector<std::string> out;
    for (const auto& row : pqxx::nontransaction(c).exec(
             "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
             "WHERE i.inhparent = 'snapshots'::regclass AND c.relname LIKE 'snapshots_p2020%' "
             "ORDER BY 1")) {
        out.push_back(row[0].as<std::string>());
    }
    return out;
}

} // namespace

TEST_CASE("daily partitions are created ahead, once, on UTC day boundaries", "[db][partitions]") {
    testing::scratch_database db;
    auto conn = db.connect();
    CHECK(db::ensure_partitions(*conn, at("2020-03-01T23:59:59Z"), 2) == 3);
    CHECK(db::ensure_partitions(*conn, at("2020-03-01T00:00:00Z"), 2) == 0);
    CHECK(partitions(*conn) == std::vector<std::string>{"snapshots_p20200301",
                                                        "snapshots_p20200302",
                                                        "snapshots_p20200303"});
    pqxx::work tx(*conn);
    tx.exec("SET TIME ZONE 'America/New_York'"); // bounds must not depend on the session zone
    tx.exec("INSERT INTO snapshots VALUES ('2020-03-01T23:59:59Z', 1, 1), "
            "('2020-03-02T00:00:00Z', 2, 2)");
    CHECK(tx.exec("SELECT tableoid::regclass::text FROM snapshots WHERE stream_id = 2")[0][0]
              .as<std::string>() == "snapshots_p20200302");
}

TEST_CASE("expired partitions are dropped whole; younger ones keep their rows",
          "[db][partitions]") {
    testing::scratch_database db;
    auto conn = db.connect();
    db::ensure_partitions(*conn, at("2020-03-01T00:00:00Z"), 3); // 1st .. 4th
    pqxx::nontransaction(*conn).exec(
        "INSERT INTO snapshots SELECT d, 1, 1 FROM generate_series("
        "'2020-03-01T12:00:00Z'::timestamptz, '2020-03-04T12:00:00Z', '1 day') d");
    // Retention of 2 days at noon on the 5th: whatever ended before noon on the 3rd goes.
    CHECK(db::drop_expired_partitions(*conn, at("2020-03-05T12:00:00Z"), 2) == 2);
    CHECK(partitions(*conn) ==
          std::vector<std::string>{"snapshots_p20200303", "snapshots_p20200304"});
    CHECK(pqxx::nontransaction(*conn).exec("SELECT count(*) FROM snapshots")[0][0].as<int>() == 2);
    CHECK(db::drop_expired_partitions(*conn, at("2020-03-05T12:00:00Z"), 2) == 0);
}

namespace {

// Waits (up to 10 s) until `part`'s detach has begun and is waiting for older transactions.
bool detach_pending(pqxx::connection& c, const std::string& part) {
    for (int i = 0; i < 100; ++i) {
        const auto pending = pqxx::nontransaction(c).exec_params(
            "SELECT i.inhdetachpending FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE c.relname = $1",
            part);
        if (!pending.empty() && pending[0][0].as<bool>()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

} // namespace

TEST_CASE("partition upkeep waits for no reader and holds up no writer", "[db][partitions]") {
    testing::scratch_database db;
    auto upkeep = db.connect();
    auto reader = db.connect();
    auto other = db.connect();
    db::ensure_partitions(*upkeep, at("2020-03-01T00:00:00Z"), 3); // 1st .. 4th
    pqxx::nontransaction(*upkeep).exec(
        "INSERT INTO snapshots SELECT d, 1, 1 FROM generate_series("
        "'2020-03-01T12:00:00Z'::timestamptz, '2020-03-04T12:00:00Z', '1 day') d");

    // A long read of snapshots (an export, a fold) is under way.
    pqxx::work reading(*reader);
    CHECK(reading.exec("SELECT count(*) FROM snapshots")[0][0].as<int>() == 4);

    // A stall fails the test rather than hanging it.
    pqxx::nontransaction(*upkeep).exec("SET lock_timeout = '2s'");
    pqxx::nontransaction(*other).exec("SET lock_timeout = '2s'");

    // A new day's partition is made meanwhile, with its indexes.
    CHECK(db::ensure_partitions(*upkeep, at("2020-03-05T00:00:00Z"), 0) == 1);
    CHECK(pqxx::nontransaction(*upkeep)
              .exec("SELECT count(*) FROM pg_indexes WHERE tablename = 'snapshots_p20200305'")[0][0]
              .as<int>() == 2);

    // Retention waits for the reader to finish; sweeps and other readers go on meanwhile.
    auto dropping = std::async(std::launch::async, [&] {
        return db::drop_expired_partitions(*upkeep, at("2020-03-05T12:00:00Z"), 2);
    });
    REQUIRE(detach_pending(*other, "snapshots_p20200301"));
    {
        pqxx::work writing(*other);
        writing.exec("INSERT INTO snapshots VALUES ('2020-03-05T12:00:00Z', 2, 2)");
        CHECK(
            writing.exec("SELECT count(*) FROM snapshots WHERE collected_at >= '2020-03-03'")[0][0]
                .as<int>() == 3);
        writing.commit();
    }
    CHECK(dropping.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout);
    reading.commit();
    CHECK(dropping.get() == 2);
    CHECK(partitions(*other) == std::vector<std::string>{"snapshots_p20200303",
                                                         "snapshots_p20200304",
                                                         "snapshots_p20200305"});
}

TEST_CASE("a detach that waits too long says so, and a later retention finishes it",
          "[db][partitions]") {
    testing::scratch_database db;
    auto upkeep = db.connect();
    auto reader = db.connect();
    db::ensure_partitions(*upkeep, at("2020-03-01T00:00:00Z"), 3); // 1st .. 4th
    const auto statement_timeout = [&] {
        return pqxx::nontransaction(*upkeep).exec("SHOW statement_timeout")[0][0].as<std::string>();
    };
    const std::string timeout_before = statement_timeout();
    pqxx::work reading(*reader);
    reading.exec("SELECT count(*) FROM snapshots");
    CHECK_THROWS_WITH(db::drop_expired_partitions(*upkeep, at("2020-03-05T12:00:00Z"), 2,
                                                  std::chrono::milliseconds{300}),
                      Catch::Contains("finishes on a later try"));
    // The first partition's detach began and is left pending; nothing was dropped.
    CHECK(detach_pending(*upkeep, "snapshots_p20200301"));
    CHECK(partitions(*upkeep).size() == 4);
    // Once the reader is done, the pending detach is finished first (no other detach can
    // start while one is pending), then the next partition goes.
    reading.commit();
    CHECK(db::drop_expired_partitions(*upkeep, at("2020-03-05T12:00:00Z"), 2) == 2);
    CHECK(partitions(*upkeep) ==
          std::vector<std::string>{"snapshots_p20200303", "snapshots_p20200304"});
    // The session's own statement timeout is back to what it was.
    CHECK(statement_timeout() == timeout_before);
}

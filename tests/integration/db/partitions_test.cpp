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

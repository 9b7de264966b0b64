#include "common/db/partitions.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace streamscope::db {
namespace {

constexpr std::string_view ensure_sql =
    "SELECT ensure_snapshot_partitions(($1::timestamptz AT TIME ZONE 'UTC')::date, $2)";

// The daily partitions whose whole day ended at least `retention_days` days before `now`. A
// detach left unfinished (its second step interrupted) comes first: no other can start while
// one is pending.
constexpr std::string_view expired_sql = R"(
SELECT c.relname, i.inhdetachpending
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
 WHERE i.inhparent = 'snapshots'::regclass
   AND c.relname ~ '^snapshots_p[0-9]{8}$'
   AND (to_date(substr(c.relname, 12), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC'
       <= $1::timestamptz - make_interval(days => $2)
 ORDER BY i.inhdetachpending DESC, c.relname)";

// SQLSTATE of a statement cancelled by statement_timeout (pqxx 6.4 has no class for it).
constexpr std::string_view query_canceled = "57014";

struct expired_partition {
    std::string name;
    bool detach_pending;
};

} // namespace

int ensure_partitions(pqxx::connection& conn, time::timestamp at, int days_ahead) {
    pqxx::work tx(conn);
    const int created =
        tx.exec_params(std::string(ensure_sql), time::format_rfc3339(at), days_ahead + 1)[0][0]
            .as<int>();
    tx.commit();
    return created;
}

int drop_expired_partitions(pqxx::connection& conn, time::timestamp now, int retention_days,
                            std::chrono::milliseconds detach_wait) {
    pqxx::nontransaction tx(conn);
    std::vector<expired_partition> expired;
    for (const auto& row :
         tx.exec_params(std::string(expired_sql), time::format_rfc3339(now), retention_days)) {
        expired.push_back({row[0].as<std::string>(), row[1].as<bool>()});
    }
    if (expired.empty()) {
        return 0;
    }
    // DETACH ... CONCURRENTLY takes no lock that reads or writes of snapshots wait for (a DROP
    // of an attached partition locks all of snapshots), and cannot run in a transaction block.
    // Its wait is bounded by the statement timeout, set for it and then set back.
    const std::string timeout_before = tx.exec("SHOW statement_timeout")[0][0].as<std::string>();
    const auto set_timeout = [&tx](const std::string& value) {
        tx.exec_params("SELECT set_config('statement_timeout', $1, false)", value);
    };
    set_timeout(std::to_string(detach_wait.count()));
    int dropped = 0;
    try {
        for (const expired_partition& part : expired) {
            const std::string name = tx.quote_name(part.name);
            tx.exec("ALTER TABLE snapshots DETACH PARTITION " + name +
                    (part.detach_pending ? " FINALIZE" : " CONCURRENTLY"));
            tx.exec("DROP TABLE " + name);
            ++dropped;
        }
    } catch (const pqxx::sql_error& e) {
        set_timeout(timeout_before);
        if (e.sqlstate() != query_canceled) {
            throw;
        }
        throw std::runtime_error(
            "a partition's detach waited " + std::to_string(detach_wait.count()) +
            " ms for transactions that were reading snapshots when it began (a long export?); "
            "its detach finishes on a later try, once they have ended");
    }
    set_timeout(timeout_before);
    return dropped;
}

} // namespace streamscope::db

#include "common/db/partitions.hpp"

#include <pqxx/pqxx>

namespace streamscope::db {
namespace {

constexpr std::string_view ensure_sql =
    "SELECT ensure_snapshot_partitions(($1::timestamptz AT TIME ZONE 'UTC')::date, $2)";

constexpr std::string_view drop_sql =
    "SELECT drop_snapshot_partitions_before($1::timestamptz - make_interval(days => $2))";

} // namespace

int ensure_partitions(pqxx::connection& conn, time::timestamp at, int days_ahead) {
    pqxx::work tx(conn);
    const int created =
        tx.exec_params(std::string(ensure_sql), time::format_rfc3339(at), days_ahead + 1)[0][0]
            .as<int>();
    tx.commit();
    return created;
}

int drop_expired_partitions(pqxx::connection& conn, time::timestamp now, int retention_days) {
    pqxx::work tx(conn);
    const int dropped =
        tx.exec_params(std::string(drop_sql), time::format_rfc3339(now), retention_days)[0][0]
            .as<int>();
    tx.commit();
    return dropped;
}

} // namespace streamscope::db

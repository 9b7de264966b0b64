#include "common/db/migrate.hpp"

#include <algorithm>
#include <map>

#include <openssl/evp.h>
#include <pqxx/pqxx>

namespace streamscope::db {
namespace {

// pg_advisory_lock key shared by every Streamscope process that migrates.
constexpr long long migration_lock_key = 0x5354524d4d494731; // "STRMMIG1"

constexpr std::string_view create_table_sql = R"(
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
))";

constexpr std::string_view applied_sql = "SELECT version, name, checksum FROM schema_migrations";

constexpr std::string_view record_sql =
    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)";

constexpr std::string_view update_checksum_sql =
    "UPDATE schema_migrations SET checksum = $2 WHERE version = $1";

// The text of each function and view file as it was last applied (name: its path under sql/).
constexpr std::string_view create_repeatables_table_sql = R"(
CREATE TABLE IF NOT EXISTS schema_repeatables (
    name       text PRIMARY KEY,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
))";

constexpr std::string_view applied_repeatables_sql =
    "SELECT name, checksum FROM schema_repeatables";

constexpr std::string_view record_repeatable_sql =
    "INSERT INTO schema_repeatables (name, checksum) VALUES ($1, $2) "
    "ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()";

// Holds the session-level advisory lock for its lifetime. If the connection breaks, the
// server releases the lock with the session.
class migration_lock {
public:
    explicit migration_lock(pqxx::connection& c) : conn_(c) {
        pqxx::nontransaction(conn_).exec_params("SELECT pg_advisory_lock($1)", migration_lock_key);
    }
    ~migration_lock() {
        try {
            pqxx::nontransaction(conn_).exec_params("SELECT pg_advisory_unlock($1)",
                                                    migration_lock_key);
        } catch (const std::exception&) {
            // The session is gone, and its lock with it.
        }
    }
    migration_lock(const migration_lock&) = delete;
    migration_lock& operator=(const migration_lock&) = delete;

private:
    pqxx::connection& conn_;
};

struct applied_migration {
    std::string name;
    std::string checksum;
};

bool is_earlier_text(const migration& m, std::string_view recorded) {
    return std::find(m.earlier_checksums.begin(), m.earlier_checksums.end(), recorded) !=
           m.earlier_checksums.end();
}

// The versioned migrations whose recorded checksum is an earlier text's; throws schema_refused
// when one is neither the current text's nor an earlier one's.
std::vector<const migration*> check_applied(std::span<const migration> versioned,
                                            const std::map<int, applied_migration>& applied) {
    std::vector<const migration*> earlier;
    for (const migration& m : versioned) {
        const auto it = applied.find(m.version);
        if (it == applied.end() || it->second.checksum == checksum(m.sql)) {
            continue;
        }
        if (!is_earlier_text(m, it->second.checksum)) {
            throw schema_refused("migration " + std::string(m.name) +
                                 " was changed after it was applied to this database: restore "
                                 "the original file and put the change in a new migration");
        }
        earlier.push_back(&m);
    }
    return earlier;
}

void apply_repeatables(pqxx::connection& conn, std::span<const repeatable> repeatables,
                       migrate_result& result) {
    pqxx::nontransaction(conn).exec(std::string(create_repeatables_table_sql));
    std::map<std::string, std::string, std::less<>> recorded;
    for (const auto& row : pqxx::nontransaction(conn).exec(std::string(applied_repeatables_sql))) {
        recorded.emplace(row[0].as<std::string>(), row[1].as<std::string>());
    }
    for (const repeatable& r : repeatables) {
        const std::string sum = checksum(r.sql);
        const auto it = recorded.find(r.name);
        if (it != recorded.end() && it->second == sum) {
            continue;
        }
        pqxx::work tx(conn);
        tx.exec(std::string(r.sql));
        tx.exec_params(std::string(record_repeatable_sql), std::string(r.name), sum);
        tx.commit();
        result.repeatables_applied.emplace_back(r.name);
    }
}

} // namespace

std::string checksum(std::string_view sql) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(sql.data(), sql.size(), digest, &len, EVP_sha256(), nullptr);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xf];
    }
    return out;
}

int schema_version(pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    if (tx.exec("SELECT to_regclass('schema_migrations') IS NULL")[0][0].as<bool>()) {
        return 0;
    }
    return tx.exec("SELECT coalesce(max(version), 0) FROM schema_migrations")[0][0].as<int>();
}

migrate_result migrate(pqxx::connection& conn, std::span<const migration> versioned,
                       std::span<const repeatable> repeatables) {
    migration_lock lock(conn);
    pqxx::nontransaction(conn).exec(std::string(create_table_sql));

    std::map<int, applied_migration> applied;
    for (const auto& row : pqxx::nontransaction(conn).exec(std::string(applied_sql))) {
        applied.emplace(row[0].as<int>(),
                        applied_migration{row[1].as<std::string>(), row[2].as<std::string>()});
    }
    migrate_result result;
    result.from_version = applied.empty() ? 0 : applied.rbegin()->first;
    const int newest_known = versioned.empty() ? 0 : versioned.back().version;
    if (result.from_version > newest_known) {
        throw schema_refused(
            "the database schema is at version " + std::to_string(result.from_version) +
            " but this binary knows versions up to " + std::to_string(newest_known) +
            ": run a newer Streamscope release against this database (downgrades are not "
            "supported)");
    }
    const std::vector<const migration*> earlier = check_applied(versioned, applied);

    // A listed earlier text did what the current one does but for functions and views that the
    // repeatables create now: the current text stands for it from here on.
    if (!earlier.empty()) {
        pqxx::work tx(conn);
        for (const migration* m : earlier) {
            tx.exec_params(std::string(update_checksum_sql), m->version, checksum(m->sql));
            result.updated_checksums.push_back(m->version);
        }
        tx.commit();
    }
    for (const migration& m : versioned) {
        if (applied.contains(m.version)) {
            continue;
        }
        pqxx::work tx(conn);
        tx.exec(std::string(m.sql));
        tx.exec_params(std::string(record_sql), m.version, std::string(m.name), checksum(m.sql));
        tx.commit();
        result.applied.push_back(m.version);
    }
    result.to_version = std::max(result.from_version, newest_known);
    apply_repeatables(conn, repeatables, result);
    return result;
}

} // namespace streamscope::db

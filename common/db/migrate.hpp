#pragma once
// Schema migrations: the numbered files of sql/, embedded into the binary at build time so
// that binary and schema cannot drift, applied in order, each in its own transaction,
// recorded in schema_migrations, serialised across processes by an advisory lock.

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

namespace streamscope::db {

struct migration {
    int version;
    std::string_view name; // file name, e.g. 0001_init.sql
    std::string_view sql;
};

// The migrations built into this binary, by ascending version (generated from sql/).
std::span<const migration> embedded_migrations();

// Hex SHA-256 of a migration's text, recorded when applied to detect later edits.
std::string checksum(std::string_view sql);

// The database holds a schema this binary must not touch: newer than it knows, or an applied
// migration whose text differs from the embedded one. The message says what to do.
class schema_refused : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct migrate_result {
    int from_version = 0;
    int to_version = 0;
    std::vector<int> applied;
};

// Applies the pending migrations of `known` (ascending versions). A no-op when none is
// pending. Throws schema_refused (see above) before changing anything, pqxx exceptions when
// a migration fails (that migration is rolled back; earlier ones stay applied).
migrate_result migrate(pqxx::connection& conn, std::span<const migration> known);

// The highest applied version, 0 for an empty database.
int schema_version(pqxx::connection& conn);

} // namespace streamscope::db

#pragma once
// Schema migrations, embedded into the binary at build time so that binary and schema cannot
// drift, applied under an advisory lock that serialises every process that migrates:
// - versioned migrations (sql/migrations/NNNN_*.sql: tables, indexes, data changes), forward
//   only, each applied once in its own transaction and recorded in schema_migrations;
// - then the repeatable ones (sql/functions/, sql/views/: one function or view per file, whose
//   text creates or replaces it whole, settings included), in the order of their list, each
//   applied in its own transaction whenever its text differs from the one recorded in
//   schema_repeatables. A binary applies its own texts: one of an earlier release with the
//   same versioned migrations puts its own functions back.

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
    // Checksums of earlier texts of this migration that databases may have recorded (for the
    // embedded ones: STREAMSCOPE_EARLIER_MIGRATION_CHECKSUMS in common/CMakeLists.txt says which
    // and why). Such a database is upgraded, not refused: the current checksum is recorded.
    std::span<const std::string_view> earlier_checksums = {};
};

// A function or view: the file's text creates or replaces it (CREATE OR REPLACE), and may be
// applied again at any time.
struct repeatable {
    std::string_view name; // path under sql/, e.g. functions/rollup_fold_hour.sql
    std::string_view sql;
};

// The versioned migrations built into this binary, by ascending version (from sql/migrations/).
std::span<const migration> embedded_migrations();

// The functions and views built into this binary (sql/functions/, sql/views/), in the order
// they are applied: each after those it needs.
std::span<const repeatable> embedded_repeatables();

// Hex SHA-256 of a migration's text, recorded when applied to detect later edits.
std::string checksum(std::string_view sql);

// The database holds a schema this binary must not touch: newer than it knows, or an applied
// migration whose text differs from the embedded one and from its earlier texts. The message
// says what to do.
class schema_refused : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct migrate_result {
    int from_version = 0;
    int to_version = 0;
    std::vector<int> applied;
    // Applied migrations whose recorded checksum was one of their earlier texts': the current
    // text's is recorded now.
    std::vector<int> updated_checksums;
    // The repeatables applied: new, or changed since they were last applied.
    std::vector<std::string> repeatables_applied;
};

// Applies the pending migrations of `versioned` (ascending versions), then the repeatables
// whose text is new or changed, in their order. A no-op when nothing is pending. Throws
// schema_refused (see above) before changing anything, pqxx exceptions when a migration or a
// repeatable fails (that one is rolled back; those applied before it stay applied, and the
// repeatables after it wait for the next run).
migrate_result migrate(pqxx::connection& conn, std::span<const migration> versioned,
                       std::span<const repeatable> repeatables);

// The highest applied version, 0 for an empty database.
int schema_version(pqxx::connection& conn);

} // namespace streamscope::db

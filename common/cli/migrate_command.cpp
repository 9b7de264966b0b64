#include "common/cli/migrate_command.hpp"

#include <fmt/ranges.h>
#include <pqxx/except>
#include <spdlog/spdlog.h>

#include "common/cli/exit_codes.hpp"
#include "common/db/api_role.hpp"
#include "common/db/connection.hpp"
#include "common/db/migrate.hpp"

namespace streamscope::cli {

namespace {

int run_api_role(pqxx::connection& conn, const config::database_url& url,
                 const config::secret& password) {
    try {
        const auto change = db::ensure_api_role(conn, url, password);
        spdlog::info("database {}: the API's role {} {}, member of streamscope_reader and "
                     "streamscope_key_manager, with the password in API_DATABASE_PASSWORD",
                     url.redacted(), db::api_login_role,
                     change == db::api_role_change::created ? "created" : "updated");
        return exit_ok;
    } catch (const db::role_refused& e) {
        spdlog::error("cannot set up the API's role in {}: {}", url.redacted(), e.what());
    } catch (const std::exception& e) {
        spdlog::error("setting up the API's role in {} failed: {} -- the schema is migrated; "
                      "fix the cause and run migrate again",
                      url.redacted(), e.what());
    }
    return exit_failure;
}

} // namespace

int run_migrate(const config::database_url& url, std::string_view application_name,
                const config::secret& api_database_password) {
    try {
        // Migrations may build indexes on big tables: no statement timeout for them.
        auto conn = db::connect(url, {.application_name = std::string(application_name),
                                      .statement_timeout = std::chrono::milliseconds{0}});
        const auto result =
            db::migrate(*conn, db::embedded_migrations(), db::embedded_repeatables());
        if (!result.updated_checksums.empty()) {
            spdlog::info("database {}: {} applied migrations were recorded with earlier, "
                         "equivalent texts; their current checksums are recorded now",
                         url.redacted(), result.updated_checksums.size());
        }
        if (result.applied.empty() && result.repeatables_applied.empty()) {
            spdlog::info("database {} is up to date at schema version {}", url.redacted(),
                         result.to_version);
        } else if (result.applied.empty()) {
            spdlog::info("database {} is at schema version {}; applied {} new or changed "
                         "function and view files: {}",
                         url.redacted(), result.to_version, result.repeatables_applied.size(),
                         fmt::join(result.repeatables_applied, ", "));
        } else {
            spdlog::info("database {} migrated from schema version {} to {} ({} applied, {} "
                         "function and view files)",
                         url.redacted(), result.from_version, result.to_version,
                         result.applied.size(), result.repeatables_applied.size());
        }
        if (!api_database_password.empty()) {
            return run_api_role(*conn, url, api_database_password);
        }
        return exit_ok;
    } catch (const db::schema_refused& e) {
        spdlog::error("refusing to migrate {}: {}", url.redacted(), e.what());
        return exit_schema_refused;
    } catch (const pqxx::broken_connection& e) {
        spdlog::error("cannot connect to {}: {} -- check DATABASE_URL and that PostgreSQL is "
                      "running and reachable",
                      url.redacted(), e.what());
        return exit_failure;
    } catch (const std::exception& e) {
        spdlog::error("migrating {} failed: {} -- the failed migration was rolled back; fix the "
                      "cause and run migrate again",
                      url.redacted(), e.what());
        return exit_failure;
    }
}

} // namespace streamscope::cli

#pragma once
// The `migrate` subcommand, shared by both binaries.

#include <string_view>

#include "common/config/database_url.hpp"
#include "common/config/secret.hpp"

namespace streamscope::cli {

// Applies pending migrations to the database at `url`, logging what it did; then, with an
// `api_database_password`, creates or updates the API's login role with it
// (common/db/api_role.hpp). Returns an exit code: exit_ok, exit_failure (database unreachable,
// a migration failed, or the API's role could not be made: the log says what to run) or
// exit_schema_refused.
int run_migrate(const config::database_url& url, std::string_view application_name,
                const config::secret& api_database_password = {});

} // namespace streamscope::cli

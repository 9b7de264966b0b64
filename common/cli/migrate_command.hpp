#pragma once
// The `migrate` subcommand, shared by both binaries.

#include <string_view>

#include "common/config/database_url.hpp"

namespace streamscope::cli {

// Applies pending migrations to the database at `url`, logging what it did. Returns an exit
// code: exit_ok, exit_failure (database unreachable or a migration failed) or
// exit_schema_refused.
int run_migrate(const config::database_url& url, std::string_view application_name);

} // namespace streamscope::cli

#pragma once
// `streamscope-api keys create | list | revoke ID-or-prefix`: API keys from the command line,
// on the database of DATABASE_URL (a role that may write api_keys).

#include <string>
#include <vector>

#include "common/config/service_settings.hpp"
#include "common/config/settings.hpp"

namespace streamscope::api {

// The exit code: 0 done, 1 failed (the database, or no such key to revoke), 2 bad arguments.
int run_keys_command(const config::service_settings& service, const config::settings& s,
                     const std::vector<std::string>& arguments);

} // namespace streamscope::api

#pragma once
// What the Kick client needs to know, read and validated from the collector's settings.

#include <optional>
#include <string>
#include <vector>

#include "collector/platform/connection.hpp"
#include "common/config/settings.hpp"
#include "common/http/client.hpp"

namespace streamscope::kick {

// api: https://api.kick.com, auth: https://id.kick.com (+ /oauth/token).
struct kick_settings : collector::api_access {
    double requests_per_minute = 0; // the pace a sweep starts at, before it has learnt more
};

// Whether any Kick credential is set: Kick is then swept unless PLATFORMS says otherwise.
bool has_credentials(const config::settings& s);

// Reads the KICK_* settings; appends one line per problem. The credentials are required only
// when `required`.
kick_settings load_settings(const config::settings& s, bool required, http::timeouts timeouts,
                            int max_retries, std::vector<std::string>& problems);

} // namespace streamscope::kick

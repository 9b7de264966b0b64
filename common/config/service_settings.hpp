#pragma once
// The settings every Streamscope binary has: the database and logging.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "common/config/database_url.hpp"
#include "common/config/settings.hpp"
#include "common/log/log.hpp"

namespace streamscope::config {

inline constexpr std::array service_options{
    option{"DATABASE_URL", "",
           "PostgreSQL URI, e.g. postgresql://user:password@host:5432/streamscope (required)"},
    option{"LOG_LEVEL", "info", "trace, debug, info, warn, error, critical or off"},
    option{"LOG_FORMAT", "text", "text, or json for one JSON object per line"},
};

struct service_settings {
    database_url database;
    int log_level = 0;
    log::format log_format = log::format::text;
};

// Validates the service options; appends one line per problem and returns nullopt if any.
// Without `require_database` a missing DATABASE_URL is fine (commands that need none).
std::optional<service_settings> load_service_settings(const settings& s,
                                                      std::vector<std::string>& problems,
                                                      bool require_database = true);

} // namespace streamscope::config

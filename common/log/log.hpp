#pragma once
// Process-wide logging setup: spdlog to stderr, as text or one JSON object per line.

#include <string_view>

#include <boost/system/result.hpp>

#include "common/config/database_url.hpp"

namespace streamscope::log {

enum class format { text, json };

// LOG_FORMAT: "text" or "json".
boost::system::result<format, config::invalid_setting> parse_format(std::string_view value);
// LOG_LEVEL: trace, debug, info, warn, error, critical or off.
boost::system::result<int, config::invalid_setting> parse_level(std::string_view value);

// Installs the default logger. `level` is a value returned by parse_level. Call once, first
// thing in main; spdlog's free functions (spdlog::info, ...) then log through it.
void init(std::string_view program, int level, format fmt);

} // namespace streamscope::log

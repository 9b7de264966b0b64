#pragma once
// Readers of the collector's own kinds of setting value. Each appends one line per problem
// that names the setting and what is allowed.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/settings.hpp"
#include "common/http/client.hpp"

namespace streamscope::collector {

// true, 1, yes / false, 0, no, or unset (false).
std::optional<bool> flag_setting(const config::settings& s, std::string_view name,
                                 std::vector<std::string>& problems);

// An https:// base URL without a query.
std::optional<http::origin> origin_setting(const config::settings& s, std::string_view name,
                                           std::vector<std::string>& problems);

// A number of minutes (decimals allowed) from 0.005 (0.3 s: tests compress a day of 5-minute
// sweeps into 86 s) to 1440.
std::optional<std::chrono::milliseconds> minutes_setting(const config::settings& s,
                                                         std::string_view name,
                                                         std::vector<std::string>& problems);

// A comma list's items that pass `valid`, each once, at most `max_items` of them.
std::vector<std::string> checked_list(const config::settings& s, std::string_view name,
                                      bool (*valid)(std::string_view), std::size_t max_items,
                                      std::string_view limit_owner,
                                      std::vector<std::string>& problems);

// The timeouts of one HTTP exchange with a platform: HTTP_TIMEOUT_SECONDS for the exchange, a
// third of it (at least a second) to connect.
http::timeouts http_timeouts(const config::settings& s, std::vector<std::string>& problems);

} // namespace streamscope::collector

#pragma once
// Typed readers for setting values that both binaries share. A bad value appends one line
// that names the setting and what is allowed.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/settings.hpp"

namespace streamscope::config {

// A whole number within [min, max]; nullopt (and a problem line) when it is not.
std::optional<long long> integer_setting(const settings& s, std::string_view name, long long min,
                                         long long max, std::vector<std::string>& problems);

// The same, stored into `into` when valid; `into` keeps its value otherwise (the problem line
// makes the binary exit before it is used). The table's default applies when nothing set it.
template <typename T>
void read_integer(const settings& s, std::string_view name, long long min, long long max, T& into,
                  std::vector<std::string>& problems) {
    if (const auto value = integer_setting(s, name, min, max, problems)) {
        into = static_cast<T>(*value);
    }
}

// "true" or "false" (any case; empty: the table's default), stored into `into`; a problem line
// otherwise.
void read_flag(const settings& s, std::string_view name, bool& into,
               std::vector<std::string>& problems);

// A comma list ("en, de,,ja"): items trimmed of spaces, empty ones dropped. Validating the
// items is the caller's part.
std::vector<std::string> list_setting(const settings& s, std::string_view name,
                                      std::string_view fallback = {});

} // namespace streamscope::config

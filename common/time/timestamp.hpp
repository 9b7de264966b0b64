#pragma once
// Timestamps as the platforms and PostgreSQL exchange them: UTC, microsecond precision.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace streamscope::time {

using timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// 2026-11-25T10:00:00.123456Z (fraction omitted when zero). PostgreSQL reads it as timestamptz.
std::string format_rfc3339(timestamp t);

// The date alone, 2026-11-25, as PostgreSQL reads a date.
std::string format_date(std::chrono::year_month_day day);

// RFC 3339: YYYY-MM-DDTHH:MM:SS, an optional fraction of up to 9 digits (truncated to
// microseconds), then Z or an offset +HH:MM / -HH:MM. A space is accepted for the T.
// nullopt when the text is not such a timestamp or names an impossible date or time.
std::optional<timestamp> parse_rfc3339(std::string_view text);

} // namespace streamscope::time

#pragma once
// Retry-After (RFC 9110 section 10.2.3) as a wait: what a 429 or 503 asks of the Kick client
// and of webhook deliveries alike. Each caller bounds the wait as its own work allows.

#include <chrono>
#include <optional>
#include <string_view>

namespace streamscope::http {

// The wait a Retry-After value asks for from `wall_now`: delay-seconds (digits only), or an
// HTTP date (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"), rounded up to whole seconds; 0 for
// a date already past; at most a year, whatever the value says. Blanks around the value are
// ignored. nullopt when it is neither form.
std::optional<std::chrono::seconds>
retry_after_wait(std::string_view value, std::chrono::system_clock::time_point wall_now);

} // namespace streamscope::http

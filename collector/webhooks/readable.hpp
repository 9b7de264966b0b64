#pragma once
// Numbers, durations, times and text as people read them in a notification: "45,210 viewers",
// "1.2M", "+80%", "5 h 12 min", "2026-12-07 23:00 UTC", a title on one line and of a size
// that fits. Shared by the sentences of every event (event_text) and the payloads.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace streamscope::webhooks {

// 45210 -> "45,210"; -1234 -> "-1,234".
std::string with_separators(std::int64_t n);

// A count in full below a million ("999,999"), from there in millions or billions with one
// decimal, cut rather than rounded so that it never says more than there is: 1,999,999 ->
// "1.9M", 1,000,000 -> "1M", 2,500,000,000 -> "2.5B".
std::string count_for_people(std::int64_t n);

// A growth factor as a change: 1.8 -> "+80%", 0.5 -> "-50%", 1.0 -> "+0%", to a whole percent.
// "" when `growth` is not a finite number.
std::string percent_change(double growth);

// "45 min", "5 h 12 min", "5 h", "2 d 3 h" (the two largest units), "less than a minute".
// Negative durations are treated as none.
std::string duration_for_people(std::chrono::seconds d);

// An RFC 3339 time as "2026-12-07 23:00 UTC"; the text as it is when it is not one.
std::string time_for_people(std::string_view rfc3339);

// `text` valid UTF-8 (invalid bytes as U+FFFD) on one line: every control character (CR, LF,
// tab, the other C0 and C1 controls, DEL) and U+2028/U+2029 a space, so that no title can
// start a line of its own in a message or a mail header.
std::string one_line(std::string_view text);

// `text` cut to at most `limit` UTF-16 units (text::utf16_prefix), its last one "…" when cut.
std::string shorten(std::string_view text, std::size_t limit);

} // namespace streamscope::webhooks

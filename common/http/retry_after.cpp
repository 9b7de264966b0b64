#include "common/http/retry_after.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <ctime>
#include <string>

#include "common/text/trim.hpp"

namespace streamscope::http {
namespace {

constexpr std::chrono::seconds longest_retry_after = std::chrono::hours(24 * 365);

} // namespace

std::optional<std::chrono::seconds>
retry_after_wait(std::string_view value, std::chrono::system_clock::time_point wall_now) {
    value = text::trim_blanks(value);
    // delay-seconds is digits only: no sign.
    std::uint64_t whole = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), whole);
    if (!value.empty() && value.front() >= '0' && value.front() <= '9' &&
        end == value.data() + value.size()) {
        if (ec == std::errc::result_out_of_range ||
            whole > static_cast<std::uint64_t>(longest_retry_after.count())) {
            return longest_retry_after;
        }
        if (ec == std::errc{}) {
            return std::chrono::seconds(static_cast<std::int64_t>(whole));
        }
    }
    std::tm parts{};
    const std::string text(value);
    const char* rest = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
    if (rest == nullptr || *rest != '\0') {
        return std::nullopt;
    }
    const auto at = std::chrono::system_clock::from_time_t(timegm(&parts));
    const auto wait = std::chrono::ceil<std::chrono::seconds>(at - wall_now);
    return std::clamp(wait, std::chrono::seconds(0), longest_retry_after);
}

} // namespace streamscope::http

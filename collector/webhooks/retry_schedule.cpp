#include "collector/webhooks/retry_schedule.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace streamscope::webhooks {
namespace {

using namespace std::chrono_literals;

// Twice the expected waits of the header's table, for attempts 2 to 10; 11 and on keep the
// last.
constexpr std::array<std::chrono::milliseconds, 9> ceilings{
    10s, 60s, 4min, 20min, 1h, 2h, 4h, 8h, 16h,
};
constexpr std::chrono::milliseconds shortest_wait = 1s;
constexpr std::chrono::milliseconds longest_retry_after_honoured = 1h;

bool asks_to_wait(unsigned status) {
    return status == 429 || status == 503;
}

} // namespace

std::chrono::milliseconds retry_ceiling(int attempt) {
    if (attempt < 2) {
        throw std::invalid_argument("a retry is attempt 2 or later");
    }
    const auto index =
        std::min<std::size_t>(static_cast<std::size_t>(attempt - 2), ceilings.size() - 1);
    return ceilings[index];
}

std::optional<std::chrono::milliseconds>
retry_delay(int attempt, std::chrono::milliseconds since_first, double draw) {
    const auto ceiling = retry_ceiling(attempt);
    const double fraction = std::isnan(draw) ? 0.0 : std::clamp(draw, 0.0, 1.0);
    const auto spread = static_cast<double>((ceiling - shortest_wait).count());
    const auto wait =
        shortest_wait + std::chrono::milliseconds(static_cast<std::int64_t>(fraction * spread));
    if (since_first + wait > retry_window) {
        return std::nullopt;
    }
    return wait;
}

std::optional<std::chrono::milliseconds>
retry_delay(int attempt, std::chrono::milliseconds since_first, double draw, unsigned status,
            std::optional<std::chrono::seconds> retry_after) {
    auto wait = retry_delay(attempt, since_first, draw);
    if (!wait || !retry_after || !asks_to_wait(status)) {
        return wait;
    }
    const std::chrono::milliseconds asked =
        std::min<std::chrono::milliseconds>(*retry_after, longest_retry_after_honoured);
    if (asked <= *wait) {
        return wait;
    }
    if (since_first + asked > retry_window) {
        return std::nullopt;
    }
    return asked;
}

} // namespace streamscope::webhooks

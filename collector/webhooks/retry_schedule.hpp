#pragma once
// When a failed webhook delivery is tried again. Deliveries are at least once: an attempt
// that fails (no answer, a timeout, a 429 or 5xx) is repeated with the same webhook-id until
// one succeeds or a day has passed since the first, backing off exponentially with full
// jitter so that a receiver coming back from an outage is not met by every delivery at once.
//
// The wait before attempt n is drawn uniformly from [1 s, ceiling(n)]; the ceilings are twice
// the expected waits, which are
//
//   attempt   2     3     4      5       6       7    8    9    10   11 and on
//   expected  5 s   30 s  2 min  10 min  30 min  1 h  2 h  4 h  8 h  8 h
//
// so that the 10th attempt comes about 16 h after the first, the 11th about a day after, and
// an attempt that would start more than 24 h after the first is not made: the delivery has
// failed for good. Pure: the caller keeps the time and passes the randomness.

#include <chrono>
#include <optional>
#include <random>

namespace streamscope::webhooks {

// How long after its first attempt a delivery is still tried.
inline constexpr std::chrono::hours retry_window{24};

// The longest wait before attempt `attempt` (2 is the first retry): twice the table's
// expected wait. Throws std::invalid_argument for an attempt below 2.
std::chrono::milliseconds retry_ceiling(int attempt);

// The wait before attempt `attempt`: `draw` (in [0, 1], clamped into it) of the way from 1 s
// to retry_ceiling(attempt); nullopt when that attempt would start more than retry_window
// after the first, `since_first` being the time from the first attempt's start until now.
// Throws std::invalid_argument for an attempt below 2.
std::optional<std::chrono::milliseconds>
retry_delay(int attempt, std::chrono::milliseconds since_first, double draw);

// The same after an answer with `status` and, if it had one, the wait its Retry-After asked
// for (http::retry_after_wait). A 429's or 503's Retry-After is the least wait the receiver
// asks for (RFC 9110 10.2.3): it wins when longer than the schedule's wait, up to an hour (a
// receiver asking for more is asked again within the hour). A shorter one leaves the
// schedule's: a receiver that keeps answering "Retry-After: 1" must not turn a day of
// retries into thousands. Other statuses' Retry-After is not looked at.
std::optional<std::chrono::milliseconds>
retry_delay(int attempt, std::chrono::milliseconds since_first, double draw, unsigned status,
            std::optional<std::chrono::seconds> retry_after);

// retry_delay with a draw from `random`.
template <std::uniform_random_bit_generator Random>
std::optional<std::chrono::milliseconds>
retry_delay(int attempt, std::chrono::milliseconds since_first, Random& random) {
    return retry_delay(attempt, since_first, std::uniform_real_distribution<double>(0, 1)(random));
}

} // namespace streamscope::webhooks

#pragma once
// Pacing for an API that publishes no rate limit and may send no rate-limit headers (Kick:
// "we won't be exposing rate limits information"). Requests go evenly spaced at a rate that
// starts where it is safe, creeps up while every answer is clean, and falls back on a 429: to
// a fraction of the rate that drew it, which is then a ceiling that later probing approaches
// slowly and passes only after a long clean stretch. A 429's Retry-After (seconds or an HTTP
// date) holds every request until it has passed; without one, a pause of a few request gaps
// that doubles with every 429 in a row.
// Every 429 is logged with the rate that drew it, so that the real limit can be learnt. Pure
// logic: the caller passes the clock readings.

#include <chrono>
#include <optional>

#include "collector/platform/pacer.hpp"

namespace streamscope::kick {

struct pacing_options {
    double start_per_minute = 60;
    double min_per_minute = 6;
    double max_per_minute = 6000;
    // After this many answers in a row without a 429, the rate grows by `increase`. Slowly: a
    // limit over a window longer than a sweep (60 requests a minute against a 50-page sweep)
    // is not reached within the sweep, and a rate learnt there crashes into it in the next
    // sweep, while the window still holds the last one's requests (make bench-collector, a
    // hidden limit of 60 a minute: with 10 answers a step and a decrease to 0.75, the second
    // sweep took 1.45 times the limit's least time, with 3 429s; as here, 0.96-1.07 times,
    // with one 429 a sweep).
    int clean_answers_per_step = 30;
    double increase = 0.10;
    // A 429 sets the rate to this fraction of the rate that drew it.
    double decrease = 0.85;
    // Below a ceiling (a rate that drew a 429) the rate stops at this fraction of it; it may
    // pass the ceiling after `ceiling_patience` clean steps there.
    double below_ceiling = 0.95;
    int ceiling_patience = 20;
    // A 429 without Retry-After holds requests for this many gaps at the new rate, doubled for
    // each 429 in a row (a window limit frees up only when its window has passed), up to
    // max_pause.
    double pause_gaps = 3;
    std::chrono::seconds max_pause{60};
};

class adaptive_pacer : public collector::pacer {
public:
    explicit adaptive_pacer(pacing_options options = {});

    clock::duration delay(clock::time_point now) const override;
    void spend(clock::time_point now) override;
    void answered(const http::response& res, clock::time_point now) override;
    void throttled(const http::response& res, clock::time_point now,
                   std::chrono::system_clock::time_point wall_now) override;
    // Kick's enrichment needs no request of its own: nothing is set aside for it.
    double spare(clock::time_point) const override { return 0; }

    double per_minute() const { return per_minute_; }
    std::optional<double> ceiling_per_minute() const { return ceiling_; }

    // The wait a Retry-After value asks for: whole seconds, or an HTTP date after `wall_now`;
    // nullopt when it is neither. Bounded to 1..120 s: a server clock off by a day must not
    // stop the sweeps.
    static std::optional<std::chrono::seconds>
    retry_after(std::string_view value, std::chrono::system_clock::time_point wall_now);

private:
    clock::duration gap() const;

    pacing_options options_;
    double per_minute_;
    std::optional<double> ceiling_;
    int clean_ = 0; // answers without a 429 since the last step
    int throttled_in_a_row_ = 0;
    int steps_at_cap_ = 0; // clean steps spent just below the ceiling
    clock::time_point next_at_{};
    clock::time_point blocked_until_{};
};

} // namespace streamscope::kick

#pragma once
// Spreading the feed polls of the watched channels evenly over the interval, no faster than a
// politeness rate (the feeds cost no quota, but youtube.com answers a crowd of requests with
// 429), and slowing down while it does. Pure: the caller keeps the time.

#include <chrono>
#include <cstddef>

namespace streamscope::youtube {

struct feed_cadence {
    std::chrono::milliseconds spacing{0}; // between one feed request and the next
    std::chrono::seconds cycle{0};        // until every channel's feed was asked once
    // The rate, not the interval, sets the spacing: a cycle takes longer than the interval
    // (worth one log line when the plan is made, not one per cycle).
    bool rate_bound = false;
};

// spacing = max(interval / channels (rounded down to whole ms), 1 / requests_per_second
// (rounded up to whole ms), 1 ms); cycle = channels × spacing, rounded up to whole seconds.
// A rate that is not a positive number counts as 1 request a second; an infinite one binds
// nothing but the 1 ms floor. No channels: nothing to poll, spacing = interval, cycle 0.
feed_cadence plan_feed_cadence(std::size_t channels, std::chrono::seconds interval,
                               double requests_per_second);

struct slowdown_options {
    std::chrono::milliseconds ceiling{60'000}; // the spacing never doubles past this
    int successes_to_halve = 10;               // answers without a 429 per halving
};

// The spacing while youtube.com answers 429: each 429 in a row doubles it (up to the ceiling,
// or the planned spacing if that is longer); every `successes_to_halve` answers in a row
// without one halve it again, never below the planned spacing. Starts at the planned spacing.
class slowdown {
public:
    explicit slowdown(std::chrono::milliseconds planned, slowdown_options options = {});

    void throttled(); // a 429
    void succeeded(); // any answer that is not a 429
    // A new plan (the watchlist changed): a spacing slowed beyond the old plan stays slowed,
    // within the new plan and the ceiling; one that was not follows the plan.
    void replan(std::chrono::milliseconds planned);

    std::chrono::milliseconds spacing() const { return spacing_; }
    std::chrono::milliseconds planned() const { return planned_; }
    bool slowed() const { return spacing_ > planned_; }
    int throttled_in_a_row() const { return throttled_in_a_row_; }

private:
    slowdown_options options_;
    std::chrono::milliseconds planned_;
    std::chrono::milliseconds ceiling_;
    std::chrono::milliseconds spacing_;
    int throttled_in_a_row_ = 0;
    int successes_ = 0; // in a row, since the last 429 or halving
};

} // namespace streamscope::youtube

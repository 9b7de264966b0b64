#include <catch2/catch.hpp>

#include "collector/webhooks/attempt_outcome.hpp"

using namespace streamscope::webhooks;
using namespace std::chrono_literals;

namespace {

attempt_result answer_of_status(unsigned status) {
    attempt_result r;
    r.status = status;
    r.error = status >= 300 ? "the target answered " + std::to_string(status) : "";
    return r;
}

} // namespace

TEST_CASE("an attempt's outcome: delivered, retried, or failed for good", "[unit][webhooks]") {
    CHECK(decide(answer_of_status(200), 1, 0ms, 0.5).what == next_step::kind::delivered);
    CHECK(decide(answer_of_status(204), 7, 10h, 0.5).what == next_step::kind::delivered);

    const next_step gone = decide(answer_of_status(410), 1, 0ms, 0.5);
    CHECK(gone.what == next_step::kind::failed);
    CHECK(gone.disable_reason.find("410") != std::string::npos);

    const next_step retry = decide(answer_of_status(500), 1, 0ms, 1.0);
    CHECK(retry.what == next_step::kind::retry);
    CHECK(retry.wait == 10s); // the ceiling before attempt 2

    attempt_result refused;
    refused.error = "connection refused";
    CHECK(decide(refused, 3, 1min, 0.0).what == next_step::kind::retry);

    // A 503's Retry-After longer than the schedule's wait wins.
    attempt_result busy = answer_of_status(503);
    busy.retry_after = 120s;
    CHECK(decide(busy, 1, 0ms, 0.0).wait == 120s);

    // A day of failures: failed for good, the subscription disabled, saying what to do.
    const next_step late = decide(answer_of_status(500), 10, 23h + 59min, 1.0);
    CHECK(late.what == next_step::kind::failed);
    CHECK(late.disable_reason.find("persistent failure") == 0);
    CHECK(late.disable_reason.find("replay") != std::string::npos);

    attempt_result permanent;
    permanent.permanent = true;
    permanent.error = "webhook target refused: 10.0.0.5 is private";
    CHECK(decide(permanent, 1, 0ms, 0.5).what == next_step::kind::failed);
}

TEST_CASE("a test's scale shrinks the schedule and its window alike", "[unit][webhooks]") {
    const next_step fast = decide(answer_of_status(500), 1, 0ms, 1.0, 0.001);
    CHECK(fast.what == next_step::kind::retry);
    CHECK(fast.wait == 10ms);
    // 86.4 s at a thousandth is the whole day.
    CHECK(decide(answer_of_status(500), 10, 86'400ms, 1.0, 0.001).what == next_step::kind::failed);
    CHECK(decide(answer_of_status(500), 3, 1'000ms, 1.0, 0.001).what == next_step::kind::retry);
}

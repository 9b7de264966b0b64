#include "collector/webhooks/attempt_outcome.hpp"

#include "collector/webhooks/retry_schedule.hpp"

namespace streamscope::webhooks {

next_step decide(const attempt_result& r, int attempt, std::chrono::milliseconds since_first,
                 double draw, double scale) {
    using std::chrono::milliseconds;
    next_step out;
    if (r.status && *r.status >= 200 && *r.status < 300) {
        out.what = next_step::kind::delivered;
        return out;
    }
    if (r.status && *r.status == 410) {
        out.what = next_step::kind::failed;
        out.disable_reason = "the target answered 410 Gone: it asked for no more deliveries; "
                             "subscribe again to resume";
        return out;
    }
    if (r.permanent) {
        out.what = next_step::kind::failed;
        out.disable_reason = r.error + "; fix the subscription's target and subscribe again";
        return out;
    }
    const auto unscaled = milliseconds(static_cast<milliseconds::rep>(
        static_cast<double>(since_first.count()) / (scale > 0 ? scale : 1.0)));
    const auto wait = retry_delay(attempt + 1, unscaled, draw, r.status.value_or(0), r.retry_after);
    if (!wait) {
        out.what = next_step::kind::failed;
        out.disable_reason =
            "persistent failure: no attempt succeeded in 24 h (the last: " + r.error +
            "); make the target answer 2xx, then replay the failed delivery "
            "(POST /webhooks/{id}/deliveries/{delivery}/replay)";
        return out;
    }
    out.what = next_step::kind::retry;
    out.wait =
        milliseconds(static_cast<milliseconds::rep>(static_cast<double>(wait->count()) * scale));
    return out;
}

} // namespace streamscope::webhooks

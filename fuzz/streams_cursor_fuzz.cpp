// libFuzzer target: the cursor of GET /live/streams (api/handlers/live/streams_cursor.hpp).
// Input: the cursor as a client sends it; the same bytes also pick a position to encode.
// Checks: a cursor that decodes holds only values the database columns take, and is exactly
// the text that its position encodes to (one spelling per position, so a forged variant cannot
// pass for ours); any position the API can reach decodes back to itself.

#include <cstddef>
#include <cstdint>
#include <fuzzer/FuzzedDataProvider.h>
#include <limits>
#include <string>
#include <string_view>

#include "api/handlers/live/streams_cursor.hpp"
#include "fuzz/require.hpp"

namespace {

using streamscope::api::decode_streams_cursor;
using streamscope::api::encode_streams_cursor;
using streamscope::api::streams_position;
using streamscope::fuzz::require;

constexpr std::int64_t integer_max = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t latest_started_us = 253'402'300'799'999'999; // 9999-12-31T23:59:59.999999Z

bool same(const streams_position& a, const streams_position& b) {
    if (a.viewers != b.viewers || a.stream_id != b.stream_id ||
        a.sweeps.size() != b.sweeps.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.sweeps.size(); ++i) {
        if (a.sweeps[i].platform_id != b.sweeps[i].platform_id ||
            a.sweeps[i].started_us != b.sweeps[i].started_us) {
            return false;
        }
    }
    return true;
}

void check_decoded(std::string_view cursor) {
    const auto at = decode_streams_cursor(cursor);
    if (!at) {
        return;
    }
    require(at->viewers >= -1 && at->viewers <= integer_max, "viewers fit the column");
    require(at->stream_id >= 0 && at->stream_id <= integer_max, "the stream id fits the column");
    for (const auto& sweep : at->sweeps) {
        require(sweep.platform_id >= 1 && sweep.platform_id <= 3, "a sweep names a platform");
        require(sweep.started_us >= 0 && sweep.started_us <= latest_started_us,
                "a sweep's time is a timestamp PostgreSQL holds");
    }
    require(encode_streams_cursor(*at) == cursor, "a decoded cursor encodes to the same text");
}

void check_encoded(FuzzedDataProvider& input) {
    streams_position at;
    // Each platform or not, in platform order, as latest_sweeps() gives them.
    for (int platform = 1; platform <= 3; ++platform) {
        if (input.ConsumeBool()) {
            streamscope::api::sweep_ref sweep;
            sweep.platform_id = platform;
            sweep.started_us = input.ConsumeIntegralInRange<std::int64_t>(0, latest_started_us);
            at.sweeps.push_back(sweep);
        }
    }
    at.viewers = input.ConsumeIntegralInRange<std::int64_t>(-1, integer_max);
    at.stream_id = input.ConsumeIntegralInRange<std::int64_t>(0, integer_max);
    const auto back = decode_streams_cursor(encode_streams_cursor(at));
    require(back.has_value() && same(*back, at), "an encoded position decodes to itself");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    check_decoded(std::string_view(reinterpret_cast<const char*>(data), size));
    FuzzedDataProvider input(data, size);
    check_encoded(input);
    return 0;
}

#pragma once
// The cursor of GET /live/streams: where a page ends (the pinned sweeps and the last item's
// (viewers, stream id) key), opaque to clients. Its own file so that the unit tests and
// fuzz/streams_cursor_fuzz.cpp reach it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/handlers/live/rows.hpp"

namespace streamscope::api {

struct streams_position {
    std::vector<sweep_ref> sweeps; // only platform_id and started_us travel in a cursor
    std::int64_t viewers = -2;     // -2: from the start; -1: a hidden count
    std::int64_t stream_id = 0;
};

// The cursor that continues after `at`: lowercase hex of
// "v1|<platform id>:<µs>,...|<viewers>|<stream id>". `at.sweeps` are in platform order, one per
// platform, as latest_sweeps() gives them.
std::string encode_streams_cursor(const streams_position& at);

// The position of a cursor that encode_streams_cursor() made; nullopt for any other text (each
// position has one spelling), and for values outside what the database columns hold (a forged
// cursor is the client's 400, not the database's error).
std::optional<streams_position> decode_streams_cursor(std::string_view hex);

} // namespace streamscope::api

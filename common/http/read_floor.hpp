#pragma once
// The slowest a client may take a streamed answer (an export of millions of rows): on average
// at least `bytes_per_second`, counted over the time the server waited for the client to take
// what it sent, after a grace for a slow start. Time the server spends producing the next chunk
// (a database query) is not the client's. Without a floor, a client reading a byte a minute
// would keep an export's slot, its connection and its place in the database's queue for days.

#include <chrono>
#include <cstdint>

namespace streamscope::http {

struct read_floor {
    std::uint64_t bytes_per_second = 0; // 0: no floor
    std::chrono::seconds grace{10};

    // How long the next write may wait for the client, when it has taken `sent` bytes so far in
    // `waited` and this write brings it to `sent_after`; zero when it is already too slow.
    // Never more than `cap` (the server's write timeout).
    std::chrono::nanoseconds allowance(std::uint64_t sent_after, std::chrono::nanoseconds waited,
                                       std::chrono::nanoseconds cap) const;
};

} // namespace streamscope::http

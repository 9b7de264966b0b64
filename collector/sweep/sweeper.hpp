#pragma once
// One sweep of a platform, whichever it is: page through every live stream to the end (guarded
// against cursor bugs), page once more over the stretch of the list that moved while it was
// paged, keep one sighting per channel, look up the channels that paging missed, decide which
// broadcasts ended, enrich what is new or stale within the rate budget, and hand the whole
// sweep to the write path. The platform's own part is its platform_client.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "collector/platform/platform_client.hpp"
#include "collector/store/sweep_store.hpp"
#include "collector/sweep/end_decision.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::collector {

struct sweep_options {
    std::size_t max_streams = 0; // stop paging after this many streams; 0: all
    std::chrono::hours channel_refresh{24};
};

struct sweep_report {
    model::sweep_status status = model::sweep_status::failed;
    std::size_t streams = 0;
    std::size_t recovered = 0; // live streams that paging missed and the look-ups found
    std::size_t ended = 0;
    std::size_t undecided = 0;
    std::int32_t pages = 0;
    std::int64_t requests = 0;
    std::int64_t throttled = 0;
    std::int32_t malformed = 0;   // records the platform sent that could not be read
    std::int32_t repaged = 0;     // pages of the list that moved, asked for a second time
    std::size_t caught_again = 0; // streams only the second pass over them saw
    std::string error;
};

// A sweep as collected, ready for the write path (or the spool).
struct collected_sweep {
    model::sweep sweep;
    sweep_report report;
};

class sweeper {
public:
    // `store`: the database to read from, or nullptr when it is unreachable (the sweep then
    // only pages). `stopping` turning true ends paging at the next page, as partial.
    sweeper(platform_client& client, sweep_store* store, sweep_options options,
            const bool& stopping);

    // Collects one sweep. Throws credentials_rejected and untrusted_certificate (fatal);
    // platform failures end the sweep as partial or failed, database failures make it go on
    // without the database.
    boost::asio::awaitable<collected_sweep> collect();

    // The database for the next sweeps; nullptr while it is unreachable.
    void use_store(sweep_store* store) {
        store_ = store;
        client_.use_store(store);
    }

    platform_client& client() { return client_; }

private:
    boost::asio::awaitable<lookup_answers> look_up(const std::vector<std::string>& user_ids,
                                                   std::int32_t& malformed, std::string& problems);

    platform_client& client_;
    sweep_store* store_;
    sweep_options options_;
    const bool& stopping_;
};

} // namespace streamscope::collector

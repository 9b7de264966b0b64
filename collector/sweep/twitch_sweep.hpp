#pragma once
// One sweep of Twitch: page through Get Streams to the end, look up the channels that paging
// missed, decide which broadcasts ended, enrich what is new or stale within the rate budget,
// and hand the whole sweep to the write path.

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "collector/store/sweep_store.hpp"
#include "collector/sweep/end_decision.hpp"
#include "collector/twitch/helix_client.hpp"
#include "collector/twitch/settings.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::collector {

struct sweep_report {
    model::sweep_status status = model::sweep_status::failed;
    std::size_t streams = 0;
    std::size_t recovered = 0; // live streams that paging missed and the look-ups found
    std::size_t ended = 0;
    std::size_t undecided = 0;
    std::int32_t pages = 0;
    std::int64_t requests = 0;
    std::int64_t throttled = 0;
    std::string error;
};

// A sweep as collected, ready for the write path (or the spool).
struct collected_sweep {
    model::sweep sweep;
    sweep_report report;
};

class twitch_sweep {
public:
    // `store`: the database to read from, or nullptr when it is unreachable (the sweep then
    // only pages). `stopping` turning true ends paging at the next page, as partial.
    twitch_sweep(twitch::helix_client& helix, sweep_store* store,
                 const twitch::twitch_settings& settings, const bool& stopping);

    // Collects one sweep. Throws credentials_rejected and untrusted_certificate (fatal);
    // Twitch failures end the sweep as partial or failed, database failures make it go on
    // without the database.
    boost::asio::awaitable<collected_sweep> collect();

    // The database for the next sweeps; nullptr while it is unreachable.
    void use_store(sweep_store* store) { store_ = store; }

private:
    struct paging;
    boost::asio::awaitable<void> page_streams(paging& p);
    boost::asio::awaitable<lookup_answers> look_up(const std::vector<std::string>& user_ids,
                                                   std::string& problems);
    boost::asio::awaitable<void> enrich(sweep_store& store, model::sweep& sweep,
                                        std::int64_t budget);

    twitch::helix_client& helix_;
    sweep_store* store_;
    const twitch::twitch_settings& settings_;
    const bool& stopping_;
    // Follower counts need a user token on some accounts: after the first refusal they are
    // left alone for the rest of the process.
    bool followers_enabled_ = true;
};

} // namespace streamscope::collector

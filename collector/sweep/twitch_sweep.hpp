#pragma once
// One sweep of Twitch: page through Get Streams to the end, look up the channels that paging
// missed, decide which broadcasts ended, enrich what is new or stale within the rate budget,
// and hand the whole sweep to the write path.

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <pqxx/connection>

#include "collector/config.hpp"
#include "collector/sweep/end_decision.hpp"
#include "collector/twitch/helix_client.hpp"
#include "common/db/sweep_writer.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::collector {

struct sweep_report {
    model::sweep_status status = model::sweep_status::failed;
    db::write_result written;
    std::size_t streams = 0;
    std::size_t recovered = 0; // live streams that paging missed and the look-ups found
    std::size_t ended = 0;
    std::size_t undecided = 0;
    std::int32_t pages = 0;
    std::int64_t requests = 0;
    std::int64_t throttled = 0;
    std::string error;
};

class twitch_sweep {
public:
    twitch_sweep(twitch::helix_client& helix, pqxx::connection& db,
                 const twitch_settings& settings);

    // Runs one sweep and stores it. Throws credentials_rejected (fatal) and database errors;
    // Twitch failures end the sweep as partial or failed instead.
    boost::asio::awaitable<sweep_report> run();

    // The follower counts need a user token on some accounts: after the first refusal they
    // are left alone for the rest of the process.
    bool followers_enabled() const { return followers_enabled_; }

private:
    struct paging;
    boost::asio::awaitable<void> page_streams(paging& p);
    boost::asio::awaitable<lookup_answers> look_up(const std::vector<std::string>& user_ids,
                                                   std::string& problems);
    boost::asio::awaitable<void> enrich(model::sweep& sweep, std::int64_t budget);

    twitch::helix_client& helix_;
    pqxx::connection& db_;
    const twitch_settings& settings_;
    bool followers_enabled_ = true;
};

} // namespace streamscope::collector

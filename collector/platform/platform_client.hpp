#pragma once
// The seam between the sweep and a platform. A platform client turns "every live stream now"
// into pages of the common sweep model, re-checks channels by id, and fetches what enrichment
// asks for; paging guards, duplicates, the end-of-broadcast decision, spool, store, leadership
// and metrics are the sweep's and the daemon's, and know no platform. A platform is a folder
// beside collector/twitch/ with a class that implements this.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include "collector/platform/api_client.hpp"
#include "collector/platform/quota_report.hpp"
#include "collector/store/sweep_state.hpp"
#include "common/http/handler.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::collector {

// One page of the platform's list of every live stream.
struct listing_page {
    std::vector<model::stream_observation> streams;
    std::optional<std::string> cursor; // nullopt: the last page
    std::int32_t malformed = 0;        // records left out because they were malformed
};

struct page_answer {
    enum class outcome {
        ok,
        // Worth asking once more: the platform refused the cursor (Helix's intermittent
        // "invalid cursor"), or the page could not be read at all.
        retry,
        failed, // anything else: the platform is unavailable
    };
    outcome result = outcome::failed;
    listing_page page; // ok only
    std::string problem;
};

struct lookup_answer {
    bool answered = false; // false: the platform did not answer; `problem` says why
    std::vector<model::stream_observation> live; // the asked channels' live streams
    std::int32_t malformed = 0;
    std::string problem;
};

class sweep_store;

// The part of a listing that is the whole list, unfiltered (see listing_parts()).
inline constexpr std::size_t whole_list = static_cast<std::size_t>(-1);

// A route a platform adds to the health port: `body_limit` bytes of request body at most.
struct extra_route {
    boost::beast::http::verb method;
    std::string path;
    http::handler target;
    std::uint64_t body_limit = 8 * 1024;
};

class platform_client {
public:
    virtual ~platform_client() = default;

    virtual model::platform platform() const = 0;
    // Ids per look_up() call.
    virtual std::size_t lookup_batch() const = 0;

    // How many parts the list of every live stream is paged in, one after the other, each with
    // cursors of its own: a platform whose list can be filtered (Twitch, by language) splits it
    // so that each part moves less while it is paged. 1: the whole list at once.
    virtual std::size_t listing_parts() const { return 1; }

    // The page after `cursor` (the first for nullopt) of part `part` of the list of every live
    // stream (whole_list: all of it), at most `limit` streams (0: as many as the platform
    // gives). Throws credentials_rejected and http::untrusted_certificate: those end the
    // collector, not a sweep.
    virtual boost::asio::awaitable<page_answer>
    list_page(std::size_t part, const std::optional<std::string>& cursor, std::size_t limit) = 0;

    // The live streams of these channels (at most lookup_batch() ids).
    virtual boost::asio::awaitable<lookup_answer>
    look_up(std::span<const std::string> channels) = 0;

    // How many streams the platform says are live now, where it says so (Kick); nullopt
    // elsewhere. For the log line that compares it with what the sweep stored.
    virtual boost::asio::awaitable<std::optional<std::int64_t>> reported_live() {
        co_return std::nullopt;
    }

    // Whether the platform gives follower counts to this client (Twitch may refuse app tokens;
    // Kick never gives them): enrichment asks for them only then.
    virtual bool counts_followers() const { return false; }
    // Requests that enrichment may spend now without slowing the platform's next sweep.
    virtual std::int64_t enrichment_allowance() const = 0;
    // Fetches what `plan` asks for into `sweep` (games, profiles, follower counts), spending at
    // most `budget` requests; what does not fit waits for the next sweep. Problems are logged.
    virtual boost::asio::awaitable<void> enrich(const enrichment_plan& plan, std::int64_t budget,
                                                model::sweep& sweep) = 0;

    // The database the platform keeps its own state in (YouTube: the watchlist, the videos it
    // follows, the quota ledger), on the sweep's connection; nullptr while this collector does
    // not lead the platform or the database is unreachable. Set before each sweep.
    virtual void use_store(sweep_store* store) { (void)store; }

    // When the platform itself needs more time between sweeps than the configured interval
    // (YouTube, to make the day's quota last): the interval it needs; nullopt otherwise.
    virtual std::optional<std::chrono::milliseconds> interval_needed() const {
        return std::nullopt;
    }

    // When the platform said broadcast `stream_id` ended (YouTube's actualEndTime), where this
    // sweep learnt it; nullopt otherwise (the broadcast then ends at its last sighting).
    virtual std::optional<time::timestamp> ended_at(const std::string& stream_id) const {
        (void)stream_id;
        return std::nullopt;
    }

    // The quota, for platforms that have one.
    virtual std::optional<quota_report> quota() const { return std::nullopt; }

    // Work the platform does beside its sweeps, for as long as the daemon sweeps it (YouTube
    // polls its channels' feeds): returns when `stopping` turns true. Nothing by default.
    virtual boost::asio::awaitable<void> run_beside(const bool& stopping) {
        (void)stopping;
        co_return;
    }

    // Routes the platform wants on the collector's health port (YouTube's WebSub callback),
    // with the request body limit they need. The client must outlive the health server.
    virtual std::vector<extra_route> routes() { return {}; }

    // From now on requests return at once when `stopping` is true, and waits end early (see
    // api_client::stop_when); cancel() aborts those in flight. On the client's executor.
    virtual void stop_when(const bool& stopping) = 0;
    virtual void cancel() = 0;

    virtual const api_counters& counters() const = 0;
    // When the app token expires, as the platform last said; nullopt where there is none yet.
    virtual std::optional<std::chrono::system_clock::time_point> token_expires_at() const = 0;
};

} // namespace streamscope::collector

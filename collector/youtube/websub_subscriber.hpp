#pragma once
// WebSub beside the feed poller: while this collector leads YouTube, subscribes every watched
// channel's feed at the hub (YOUTUBE_WEBSUB_HUB_URL), paced and with bounded retries, renews
// each subscription at 80% of the lease the hub granted, unsubscribes channels that leave the
// watchlist, and takes the hub's calls on the health port (through the routes it hands the
// daemon): the verification GET, answered only for topics it asked for, and the pushes, whose
// video ids become candidates of the next sweep. State is in memory: every channel is
// subscribed again at start. The feed poller stays the net for whatever the hub misses.
// Everything runs on the collector's io_context thread.

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include "collector/platform/platform_client.hpp"
#include "collector/youtube/settings.hpp"
#include "collector/youtube/websub.hpp"
#include "common/http/client.hpp"

namespace streamscope::collector {
class sweep_store;
}

namespace streamscope::youtube {

class websub_subscriber {
public:
    // Requests at most this many a second to the hub; leases asked for this long.
    static constexpr double requests_per_second = 2;
    static constexpr std::chrono::seconds requested_lease{10 * 86'400};
    // Pushes larger than this are refused (413) by the health server.
    static constexpr std::uint64_t max_push_bytes = 1024 * 1024;

    // `settings` and `tls` must outlive the subscriber.
    websub_subscriber(boost::asio::any_io_executor executor, boost::asio::ssl::context& tls,
                      const youtube_settings& settings);

    bool enabled() const { return !settings_.websub_callback.empty(); }
    void use_store(collector::sweep_store* store) { store_ = store; }

    // Subscribes and renews until `stopping`; returns at once when WebSub is off.
    boost::asio::awaitable<void> run(const bool& stopping);

    // GET and POST on the callback's path; none when WebSub is off. The subscriber must
    // outlive the server that serves them.
    std::vector<collector::extra_route> routes();

    void cancel() { hub_.cancel(); }

    // Since start: pushes taken, refused (bad signature), video ids recorded.
    struct counts {
        std::int64_t pushes = 0;
        std::int64_t refused = 0;
        std::int64_t recorded = 0;
    };
    const counts& totals() const { return totals_; }

private:
    boost::asio::awaitable<void> send(const websub_table::due& d);
    http::response verify(const http::request_context& ctx);
    boost::asio::awaitable<http::response> push(http::request_context& ctx);
    // Refusals come from whoever can reach the callback: a log line a minute at most. The
    // number of refusals not logged since the last line when this one is to be logged.
    std::optional<std::int64_t> refusal_to_log();

    static constexpr std::chrono::minutes refusal_log_every{1};

    const youtube_settings& settings_;
    http::client hub_;
    websub_table table_;
    collector::sweep_store* store_ = nullptr;
    counts totals_;
    std::optional<std::chrono::steady_clock::time_point> refusal_logged_at_;
    std::int64_t refusals_unlogged_ = 0;
};

} // namespace streamscope::youtube

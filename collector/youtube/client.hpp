#pragma once
// YouTube behind the platform seam. YouTube cannot be swept whole (shared/platform-apis.md §3):
// "every live stream" here is every live broadcast of the watchlist's channels. Its feed poller
// finds the channels' new videos without quota; each sweep asks videos.list about the
// candidates (new, upcoming and live videos), 50 for a unit, and maps the live ones onto the
// sweep model, a page being a run of such batches. Every unit is paid for in the database's
// quota ledger first; before each sweep a plan of the day's spending lengthens the interval
// when the quota would not last, and a quotaExceeded answer stops YouTube until the quota day
// turns (midnight Pacific). The watchlist, the videos and the ledger live in the database, so
// YouTube needs it: without it a sweep fails (and says why).

#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>

#include "collector/platform/platform_client.hpp"
#include "collector/youtube/data_api.hpp"
#include "collector/youtube/discovery.hpp"
#include "collector/youtube/feed_poller.hpp"
#include "collector/youtube/quota_plan.hpp"
#include "collector/youtube/settings.hpp"
#include "collector/youtube/tracking.hpp"
#include "collector/youtube/websub_subscriber.hpp"

namespace streamscope::youtube {

class client : public collector::platform_client {
public:
    // Throws std::runtime_error when settings.ca_file cannot be read. `settings` must outlive
    // the client; `interval` is YouTube's configured collection interval.
    client(boost::asio::any_io_executor executor, const youtube_settings& settings,
           std::chrono::milliseconds interval);
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    model::platform platform() const override { return model::platform::youtube; }
    // Look-ups are answered from what this sweep asked: one channel at a time, so that each
    // channel's answer stands alone.
    std::size_t lookup_batch() const override { return 1; }
    boost::asio::awaitable<collector::page_answer>
    list_page(std::size_t part, const std::optional<std::string>& cursor,
              std::size_t limit) override;
    boost::asio::awaitable<collector::lookup_answer>
    look_up(std::span<const std::string> channels) override;
    std::int64_t enrichment_allowance() const override;
    boost::asio::awaitable<void> enrich(const collector::enrichment_plan& plan, std::int64_t budget,
                                        model::sweep& sweep) override;

    void use_store(collector::sweep_store* store) override;
    std::optional<std::chrono::milliseconds> interval_needed() const override;
    std::optional<time::timestamp> ended_at(const std::string& stream_id) const override;
    std::optional<collector::quota_report> quota() const override { return quota_; }
    boost::asio::awaitable<void> run_beside(const bool& stopping) override;
    std::vector<collector::extra_route> routes() override { return websub_.routes(); }

    const collector::api_counters& counters() const override { return api_.counters(); }
    std::optional<std::chrono::system_clock::time_point> token_expires_at() const override {
        return std::nullopt; // an API key does not expire
    }
    void stop_when(const bool& stopping) override {
        stopping_ = &stopping;
        api_.stop_when(stopping);
    }
    void cancel() override;

    const feed_poller& feeds() const { return poller_; }
    const websub_subscriber& websub() const { return websub_; }

private:
    // The start of a sweep: the watchlist's fixed channels, the candidates, the day's plan.
    // An empty string when the sweep may go on; else why not.
    boost::asio::awaitable<std::string> start_sweep();
    boost::asio::awaitable<std::string> add_setting_channels();
    // Asks channels.list; what it found goes to `found`, what it did not to `not_found`.
    // false when it did not answer (logged).
    boost::asio::awaitable<bool> resolve_channels(collector::query q,
                                                  std::vector<std::string> asked,
                                                  std::vector<channel_info>& found,
                                                  std::vector<std::string>& not_found);
    boost::asio::awaitable<bool> pay(std::string_view method);
    void plan_day(std::int64_t spent, std::chrono::system_clock::time_point now);

    const youtube_settings& settings_;
    std::chrono::milliseconds interval_;
    boost::asio::ssl::context tls_;
    http::client api_http_;
    http::client feed_http_;
    data_api api_;
    feed_poller poller_;
    discovery discovery_;
    websub_subscriber websub_;
    collector::sweep_store* store_ = nullptr;
    const bool* stopping_ = nullptr;
    static constexpr bool never = false;
    bool poller_running_ = false;
    bool setting_channels_added_ = false;

    // The day's plan and its state.
    std::optional<quota_plan> plan_;
    std::optional<collector::quota_report> quota_;
    bool said_lengthened_ = false;
    // YouTube answered quotaExceeded: nothing is asked before this (the next quota day).
    std::optional<std::chrono::system_clock::time_point> stopped_until_;
    // When channel profiles were last asked for (channels.list), to batch them.
    std::chrono::steady_clock::time_point profiles_asked_at_{};
    // When videos long over were last dropped from youtube_videos.
    std::chrono::steady_clock::time_point forgotten_at_{};

    // This sweep: the candidates in batches of 50, what the answers said.
    std::vector<std::vector<candidate>> batches_;
    std::size_t next_batch_ = 0;
    std::string failed_problem_; // a batch failed: the sweep's list ends there
    std::unordered_map<std::string, std::string> logins_; // channel id -> handle, or the id
    std::unordered_set<std::string> asked_channels_;      // channels whose videos were answered
    std::unordered_map<std::string, model::stream_observation> live_by_channel_;
    std::unordered_map<std::string, time::timestamp> ended_at_; // video id -> actualEndTime
};

} // namespace streamscope::youtube

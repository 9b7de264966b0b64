#pragma once
// Twitch behind the platform seam: everything the collector needs to talk to Helix, built once
// from the settings (the TLS context, kept-alive HTTPS clients of the OAuth and Helix hosts,
// the app token, the rate budget read from Twitch's headers), and Get Streams, Get Users, Get
// Games and Get Channel Followers in the sweep's terms.

#include <boost/asio/any_io_executor.hpp>

#include "collector/platform/api_client.hpp"
#include "collector/platform/connection.hpp"
#include "collector/platform/platform_client.hpp"
#include "collector/twitch/rate_budget.hpp"
#include "collector/twitch/settings.hpp"

namespace streamscope::twitch {

class client : public collector::platform_client {
public:
    // Throws std::runtime_error when settings.ca_file cannot be read. `settings` must outlive
    // the client.
    client(boost::asio::any_io_executor executor, const twitch_settings& settings);
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    model::platform platform() const override { return model::platform::twitch; }
    std::size_t lookup_batch() const override;
    // By language (see languages.hpp): a part each for Twitch's largest languages, or for
    // each of TWITCH_LANGUAGES.
    std::size_t listing_parts() const override { return parts_.size(); }
    boost::asio::awaitable<collector::page_answer>
    list_page(std::size_t part, const std::optional<std::string>& cursor,
              std::size_t limit) override;
    boost::asio::awaitable<collector::lookup_answer>
    look_up(std::span<const std::string> channels) override;
    bool counts_followers() const override { return followers_enabled_; }
    std::int64_t enrichment_allowance() const override;
    boost::asio::awaitable<void> enrich(const collector::enrichment_plan& plan, std::int64_t budget,
                                        model::sweep& sweep) override;
    const collector::api_counters& counters() const override { return helix_.counters(); }
    std::optional<std::chrono::system_clock::time_point> token_expires_at() const override {
        return connection_.tokens().expires_at();
    }

    void stop_when(const bool& stopping) override { helix_.stop_when(stopping); }
    void cancel() override { connection_.cancel(); }

private:
    const twitch_settings& settings_;
    std::vector<std::vector<std::string>> parts_; // the languages of each part
    collector::platform_connection connection_;
    rate_budget budget_;
    collector::api_client helix_;
    // Follower counts need a user token on some accounts: after the first refusal they are
    // left alone for the rest of the process.
    bool followers_enabled_ = true;
    // Languages Twitch reported that no part holds (said once each).
    std::vector<std::string> unknown_languages_;
};

} // namespace streamscope::twitch

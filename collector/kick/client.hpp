#pragma once
// Kick behind the platform seam: its OAuth 2.1 app token (from id.kick.com, a host of its
// own), the public API on api.kick.com paced adaptively (Kick publishes no limit), every live
// stream through /public/v2/livestreams (oldest first, 1,000 a page), look-ups by broadcaster
// id through /public/v1/users/livestreams, and /public/v1/livestreams/stats for the count Kick
// reports. Categories and profile pictures come with the listing, so enrichment costs nothing;
// Kick shows app tokens no follower counts (they stay unknown, never 0).

#include <boost/asio/any_io_executor.hpp>

#include "collector/kick/adaptive_pacer.hpp"
#include "collector/kick/models.hpp"
#include "collector/kick/settings.hpp"
#include "collector/platform/api_client.hpp"
#include "collector/platform/connection.hpp"
#include "collector/platform/platform_client.hpp"

namespace streamscope::kick {

class client : public collector::platform_client {
public:
    // Throws std::runtime_error when settings.ca_file cannot be read. `settings` must outlive
    // the client.
    client(boost::asio::any_io_executor executor, const kick_settings& settings);
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    model::platform platform() const override { return model::platform::kick; }
    std::size_t lookup_batch() const override;
    boost::asio::awaitable<collector::page_answer>
    list_page(std::size_t part, const std::optional<std::string>& cursor,
              std::size_t limit) override;
    boost::asio::awaitable<collector::lookup_answer>
    look_up(std::span<const std::string> channels) override;
    boost::asio::awaitable<std::optional<std::int64_t>> reported_live() override;
    std::int64_t enrichment_allowance() const override;
    boost::asio::awaitable<void> enrich(const collector::enrichment_plan& plan, std::int64_t budget,
                                        model::sweep& sweep) override;
    const collector::api_counters& counters() const override { return api_.counters(); }
    std::optional<std::chrono::system_clock::time_point> token_expires_at() const override {
        return connection_.tokens().expires_at();
    }

    void stop_when(const bool& stopping) override { api_.stop_when(stopping); }
    void cancel() override { connection_.cancel(); }

    const adaptive_pacer& pace() const { return pacer_; }

private:
    collector::platform_connection connection_;
    adaptive_pacer pacer_;
    collector::api_client api_;
    // What this sweep's listing said about categories and channels (reset at its first page).
    listing_extras extras_;
};

} // namespace streamscope::kick

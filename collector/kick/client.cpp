#include "collector/kick/client.hpp"

#include <spdlog/spdlog.h>

#include "collector/platform/listing_answers.hpp"

namespace streamscope::kick {
namespace {

using collector::api_reply;
using collector::query;

constexpr std::size_t page_limit = 1000;  // v2 livestreams: limit 1..1000
constexpr std::size_t lookup_limit = 100; // /public/v1/users/livestreams: user_id up to 100
// Enrichment reads what the listing said: any number of channels costs no request.
constexpr std::int64_t free_enrichment = 1'000'000;

collector::oauth_endpoint kick_oauth() {
    return {.platform = "Kick",
            .token_path = "/oauth/token",
            .validate_path = {},
            .id_setting = "KICK_CLIENT_ID",
            .secret_setting = "KICK_CLIENT_SECRET",
            .auth_setting = "KICK_AUTH_BASE_URL",
            .console = "an app created under Settings > Developer on kick.com"};
}

} // namespace

client::client(boost::asio::any_io_executor executor, const kick_settings& settings)
    : connection_(std::move(executor), settings, kick_oauth()),
      pacer_({.start_per_minute = settings.requests_per_minute}),
      api_("Kick", connection_.api(), connection_.tokens(), pacer_, connection_.retry()) {}

std::size_t client::lookup_batch() const {
    return lookup_limit;
}

boost::asio::awaitable<collector::page_answer>
client::list_page(std::size_t /*part: Kick's list is paged whole*/,
                  const std::optional<std::string>& cursor, std::size_t limit) {
    if (!cursor) {
        extras_ = {};
    }
    const std::size_t count = limit > 0 ? std::min(page_limit, limit) : page_limit;
    query q{{"limit", std::to_string(count)}};
    if (cursor) {
        q.emplace_back("cursor", *cursor);
    }
    const api_reply reply = co_await api_.get("/public/v2/livestreams", q);
    // A 400 to a page with a cursor: a cursor Kick no longer takes.
    co_return collector::page_answer_of(reply, cursor.has_value(), [this](const auto& body) {
        return read_livestreams(body, extras_);
    });
}

boost::asio::awaitable<collector::lookup_answer>
client::look_up(std::span<const std::string> channels) {
    query q;
    for (const std::string& id : channels) {
        q.emplace_back("user_id", id);
    }
    const api_reply reply = co_await api_.get("/public/v1/users/livestreams", q);
    co_return collector::lookup_answer_of(
        reply, [this](const auto& body) { return read_livestreams(body, extras_); });
}

boost::asio::awaitable<std::optional<std::int64_t>> client::reported_live() {
    const api_reply reply = co_await api_.get("/public/v1/livestreams/stats", {});
    if (!reply.ok()) {
        spdlog::warn("Kick's live stream count is not available: {}", reply.problem);
        co_return std::nullopt;
    }
    try {
        co_return read_total_count(reply.body);
    } catch (const std::exception& e) {
        spdlog::warn("Kick's live stream count cannot be read: {}", e.what());
        co_return std::nullopt;
    }
}

std::int64_t client::enrichment_allowance() const {
    return free_enrichment;
}

boost::asio::awaitable<void> client::enrich(const collector::enrichment_plan& plan, std::int64_t,
                                            model::sweep& sweep) {
    std::size_t games = 0;
    for (const std::string& id : plan.games) {
        if (const auto it = extras_.categories.find(id); it != extras_.categories.end()) {
            sweep.games.push_back(it->second);
            ++games;
        }
    }
    std::size_t profiles = 0;
    for (const std::string& id : plan.stale_channels) {
        if (const auto it = extras_.profile_pictures.find(id);
            it != extras_.profile_pictures.end()) {
            // Kick's listing has no description or broadcaster type: left as stored (NULL).
            sweep.profiles.push_back({.platform_user_id = id,
                                      .description = {},
                                      .profile_image_url = it->second,
                                      .broadcaster_type = {},
                                      .account_created_at = {}});
            ++profiles;
        }
    }
    spdlog::info("enrichment: {} categories and {} profile pictures from Kick's listing", games,
                 profiles);
    co_return;
}

} // namespace streamscope::kick

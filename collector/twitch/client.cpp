#include "collector/twitch/client.hpp"

#include <algorithm>
#include <cmath>

#include <spdlog/spdlog.h>

#include "collector/platform/listing_answers.hpp"
#include "collector/twitch/languages.hpp"
#include "collector/twitch/models.hpp"

namespace streamscope::twitch {
namespace {

using collector::api_reply;
using collector::query;

constexpr std::size_t helix_batch = 100; // ids per Get Streams / Users / Games call
// Twitch's bucket: enrichment never takes more than one bucket's worth at once, so that a
// server without a limit does not turn one sweep into 100,000 follower calls.
constexpr std::int64_t max_spare_for_enrichment = 800;

collector::oauth_endpoint twitch_oauth() {
    return {.platform = "Twitch",
            .token_path = "/token",
            .validate_path = "/validate",
            .id_setting = "TWITCH_CLIENT_ID",
            .secret_setting = "TWITCH_CLIENT_SECRET",
            .auth_setting = "TWITCH_AUTH_BASE_URL",
            .console = "an application registered at https://dev.twitch.tv/console"};
}

// Reads an answer with `read`; on a body that is not what Helix sends, notes why and returns
// nullopt.
template <typename Read>
auto read_answer(const api_reply& reply, std::string_view what, std::string& problems, Read read)
    -> std::optional<decltype(read(reply.body))> {
    try {
        return read(reply.body);
    } catch (const std::exception& e) {
        if (!problems.empty()) {
            problems += "; ";
        }
        problems += std::string(what) + ": unexpected response (" + e.what() + ")";
        return std::nullopt;
    }
}

} // namespace

client::client(boost::asio::any_io_executor executor, const twitch_settings& settings)
    : settings_(settings), parts_(language_parts(settings.languages)),
      connection_(std::move(executor), settings, twitch_oauth()),
      helix_("Helix", connection_.api(), connection_.tokens(), budget_, connection_.retry(),
             {{"Client-Id", settings.credentials.client_id}}) {}

std::size_t client::lookup_batch() const {
    return helix_batch;
}

boost::asio::awaitable<collector::page_answer>
client::list_page(std::size_t part, const std::optional<std::string>& cursor, std::size_t limit) {
    const std::size_t first = limit > 0 ? std::min(helix_batch, limit) : helix_batch;
    query q{{"first", std::to_string(first)}};
    for (const auto& language :
         part == collector::whole_list ? settings_.languages : parts_.at(part)) {
        q.emplace_back("language", language);
    }
    for (const auto& game : settings_.game_ids) {
        q.emplace_back("game_id", game);
    }
    if (cursor) {
        q.emplace_back("after", *cursor);
    }
    const api_reply reply = co_await helix_.get("/streams", q);
    // A 400 to a page with a cursor is Helix's intermittent "invalid cursor".
    co_return collector::page_answer_of(reply, cursor.has_value(), read_streams_page);
}

boost::asio::awaitable<collector::lookup_answer>
client::look_up(std::span<const std::string> channels) {
    query q{{"first", std::to_string(helix_batch)}};
    for (const std::string& id : channels) {
        q.emplace_back("user_id", id);
    }
    const api_reply reply = co_await helix_.get("/streams", q);
    collector::lookup_answer answer = collector::lookup_answer_of(reply, read_streams_page);
    // A language that no part holds would leave its new streams out of every sweep: the
    // look-ups of known channels are where such a stream shows.
    for (const auto& stream : answer.live) {
        if (settings_.languages.empty() && !is_stream_language(stream.language) &&
            std::find(unknown_languages_.begin(), unknown_languages_.end(), stream.language) ==
                unknown_languages_.end()) {
            unknown_languages_.push_back(stream.language);
            spdlog::warn("Twitch reports the stream language '{}', which no part of a sweep "
                         "pages: new streams in it are missed (report it, so that it is added "
                         "to collector/twitch/languages.cpp)",
                         stream.language);
        }
    }
    co_return answer;
}

std::int64_t client::enrichment_allowance() const {
    const auto spare =
        static_cast<std::int64_t>(std::floor(budget_.spare(std::chrono::steady_clock::now())));
    return std::clamp<std::int64_t>(spare, 0, max_spare_for_enrichment);
}

boost::asio::awaitable<void> client::enrich(const collector::enrichment_plan& plan,
                                            std::int64_t budget, model::sweep& sweep) {
    const auto batches = [&](const std::vector<std::string>& ids, std::string_view param,
                             std::string_view path,
                             auto&& take) -> boost::asio::awaitable<std::size_t> {
        std::size_t done = 0;
        for (std::size_t at = 0; at < ids.size() && budget > 0; at += helix_batch, --budget) {
            query q;
            for (std::size_t i = at; i < std::min(ids.size(), at + helix_batch); ++i) {
                q.emplace_back(param, ids[i]);
            }
            const api_reply reply = co_await helix_.get(path, q);
            if (!reply.ok()) {
                spdlog::warn("enrichment through {} stopped for this sweep: {}", path,
                             reply.problem);
                break;
            }
            take(reply);
            done += std::min(ids.size(), at + helix_batch) - at;
        }
        co_return done;
    };

    const std::size_t games_done =
        co_await batches(plan.games, "id", "/games", [&](const api_reply& reply) {
            if (auto games = read_answer(reply, "Get Games", sweep.error, read_games)) {
                std::move(games->begin(), games->end(), std::back_inserter(sweep.games));
            }
        });
    const std::size_t channels_done =
        co_await batches(plan.stale_channels, "id", "/users", [&](const api_reply& reply) {
            if (auto users = read_answer(reply, "Get Users", sweep.error, read_users)) {
                std::move(users->begin(), users->end(), std::back_inserter(sweep.profiles));
            }
        });

    std::size_t followers_done = 0;
    const auto& candidates = plan.follower_channels;
    for (std::size_t i = 0; followers_enabled_ && i < candidates.size() && budget > 0;
         ++i, --budget) {
        // (A named query: GCC 12 miscompiles a braced list inside co_await.)
        const query q{{"broadcaster_id", candidates[i]}, {"first", "1"}};
        const api_reply reply =
            co_await helix_.get("/channels/followers", q, /*may_be_forbidden=*/true);
        if (reply.result == api_reply::outcome::refused &&
            (reply.status == 401 || reply.status == 403)) {
            followers_enabled_ = false;
            spdlog::warn("Twitch does not let this app token read follower counts ({}); "
                         "follower counts are off until the collector restarts",
                         reply.problem);
            break;
        }
        if (!reply.ok()) {
            spdlog::warn("follower counts stopped for this sweep: {}", reply.problem);
            break;
        }
        if (auto total =
                read_answer(reply, "Get Channel Followers", sweep.error, read_followers_total)) {
            sweep.followers.push_back({candidates[i], *total});
            ++followers_done;
        }
    }
    spdlog::info("enrichment: {} games, {} channel profiles and {} follower counts fetched",
                 games_done, channels_done, followers_done);
}

} // namespace streamscope::twitch

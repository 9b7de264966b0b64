#include "collector/youtube/feed_poller.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "collector/store/sweep_store.hpp"
#include "collector/youtube/feed.hpp"
#include "collector/youtube/ids.hpp"
#include "collector/youtube/queries.hpp"
#include "common/time/sleep.hpp"

namespace streamscope::youtube {
namespace {

namespace beast = boost::beast;
using steady = std::chrono::steady_clock;

// The fallback's ration: this share of the daily quota a day, at most this many units at once.
constexpr double fallback_share = 0.2;
constexpr double fallback_burst = 50;
constexpr auto seconds_a_day = 86'400.0;

// 429 lines: one per this long at most.
constexpr auto throttled_log_every = std::chrono::minutes(10);

// How long to wait for the store when this collector does not lead YouTube.
constexpr auto store_wait = std::chrono::seconds(1);

} // namespace

feed_poller::feed_poller(http::client& feeds, data_api& api, const youtube_settings& settings,
                         std::chrono::milliseconds interval)
    : feeds_(feeds), api_(api), settings_(settings), interval_(interval),
      pace_(std::chrono::milliseconds(1000)), fallback_units_(fallback_burst),
      fallback_refilled_(steady::now()) {}

boost::asio::awaitable<void> feed_poller::run(const bool& stopping) {
    while (!stopping) {
        if (store_ == nullptr) {
            co_await time::sleep_for(store_wait, stopping);
            continue;
        }
        co_await cycle(std::chrono::milliseconds(0), stopping);
    }
}

boost::asio::awaitable<void> feed_poller::poll_all(const bool& stopping) {
    const auto spacing = std::chrono::milliseconds(
        static_cast<std::int64_t>(1000.0 / settings_.feed_requests_per_second));
    co_await cycle(spacing, stopping);
}

boost::asio::awaitable<void> feed_poller::cycle(std::chrono::milliseconds planned_spacing,
                                                const bool& stopping) {
    collector::sweep_store* store = store_;
    std::vector<watched_channel> watchlist;
    bool read = false;
    try {
        watchlist = co_await store->run([](pqxx::connection& c) { return load_watchlist(c); });
        read = true;
    } catch (const std::exception& e) {
        spdlog::warn("YouTube feeds: the watchlist cannot be read ({}); trying again in a "
                     "minute",
                     e.what());
    }
    if (!read) {
        co_await time::sleep_for(std::chrono::minutes(1), stopping);
        co_return;
    }
    if (watchlist.empty()) {
        co_await time::sleep_for(std::min<steady::duration>(interval_, std::chrono::minutes(1)),
                                 stopping);
        co_return;
    }
    // The channels whose feed was asked longest ago first: after a restart or a cut-short
    // cycle, every channel still gets its turn.
    std::stable_sort(watchlist.begin(), watchlist.end(), [](const auto& a, const auto& b) {
        return a.feed_polled_at.value_or(time::timestamp{}) <
               b.feed_polled_at.value_or(time::timestamp{});
    });
    if (planned_spacing.count() == 0) {
        // Every feed twice an interval: a channel that goes live is then found within half an
        // interval, and in a stored sweep within one and a half.
        const auto cycle_wanted = std::chrono::duration_cast<std::chrono::seconds>(
            std::max<std::chrono::milliseconds>(interval_ / 2, std::chrono::seconds(1)));
        const feed_cadence cadence =
            plan_feed_cadence(watchlist.size(), cycle_wanted, settings_.feed_requests_per_second);
        planned_spacing = cadence.spacing;
        if (cadence.rate_bound && !said_rate_bound_) {
            spdlog::warn("YouTube feeds: {} watched channels at {} requests a second take {} s, "
                         "longer than half the interval: a channel that goes live may wait that "
                         "long to be found (raise YOUTUBE_FEED_REQUESTS_PER_SECOND or the "
                         "interval)",
                         watchlist.size(), settings_.feed_requests_per_second,
                         cadence.cycle.count());
        }
        said_rate_bound_ = cadence.rate_bound;
    }
    pace_.replan(planned_spacing);
    for (const watched_channel& channel : watchlist) {
        if (stopping || store_ != store) {
            co_return; // stopping, or no longer leading YouTube
        }
        const auto started = steady::now();
        co_await poll(channel);
        co_await time::sleep_for(pace_.spacing() - (steady::now() - started), stopping);
    }
}

boost::asio::awaitable<void> feed_poller::poll(const watched_channel& channel) {
    bool throttled = false;
    std::string problem;
    ++totals_.feeds;
    std::optional<std::vector<std::string>> ids =
        co_await read_feed(channel.channel_id, throttled, problem);
    if (throttled) {
        ++totals_.throttled;
        pace_.throttled();
        const auto now = steady::now();
        if (now - said_throttled_at_ >= throttled_log_every) {
            said_throttled_at_ = now;
            spdlog::warn("YouTube feeds: youtube.com answers 429; slowing to one feed every {} "
                         "ms (this line comes at most every 10 minutes)",
                         pace_.spacing().count());
        }
        co_return; // the channel's turn comes again next cycle
    }
    pace_.succeeded();
    const bool feed_ok = ids.has_value();
    if (!feed_ok) {
        ++totals_.failed;
        if (take_fallback_unit()) {
            ++totals_.fallbacks;
            std::string fallback_problem;
            ids = co_await read_uploads(channel.channel_id, fallback_problem);
            if (!ids) {
                spdlog::warn("YouTube: the feed of {} failed ({}) and so did its uploads "
                             "playlist ({})",
                             channel.channel_id, problem, fallback_problem);
            }
        } else if (!said_rationed_) {
            said_rationed_ = true;
            spdlog::warn("YouTube: the feed of {} failed ({}); feeds failing this often use up "
                         "the uploads-playlist ration ({}% of the daily quota): channels wait "
                         "for their feed to answer again",
                         channel.channel_id, problem, fallback_share * 100);
        }
    }
    collector::sweep_store* store = store_;
    if (store == nullptr) {
        co_return;
    }
    const std::vector<std::string> found = ids.value_or(std::vector<std::string>{});
    try {
        const std::string& id = channel.channel_id;
        totals_.found += static_cast<std::int64_t>(
            co_await store->run([&id, feed_ok, &found](pqxx::connection& c) {
                return record_feed(c, id, feed_ok, found);
            }));
    } catch (const std::exception& e) {
        spdlog::warn("YouTube feeds: what the feed of {} listed cannot be stored ({})",
                     channel.channel_id, e.what());
    }
}

boost::asio::awaitable<std::optional<std::vector<std::string>>>
feed_poller::read_feed(const std::string& channel_id, bool& throttled, std::string& problem) {
    http::request req{beast::http::verb::get,
                      feeds_.where().base_path + "/videos.xml?channel_id=" + channel_id, 11};
    req.set(beast::http::field::accept, "application/atom+xml");
    http::response res;
    try {
        res = co_await feeds_.send(std::move(req));
    } catch (const boost::system::system_error& e) {
        problem = e.code().message();
        co_return std::nullopt;
    }
    if (res.result_int() == 429) {
        throttled = true;
        co_return std::nullopt;
    }
    if (res.result_int() != 200) {
        problem = "HTTP " + std::to_string(res.result_int());
        co_return std::nullopt;
    }
    try {
        const feed parsed = parse_feed(res.body());
        std::vector<std::string> ids;
        for (const feed_entry& entry : parsed.entries) {
            if (entry.channel_id.empty() || entry.channel_id == channel_id) {
                ids.push_back(entry.video_id);
            }
        }
        co_return ids;
    } catch (const feed_error& e) {
        problem = e.what();
        co_return std::nullopt;
    }
}

boost::asio::awaitable<std::optional<std::vector<std::string>>>
feed_poller::read_uploads(const std::string& channel_id, std::string& problem) {
    const data_reply reply =
        co_await api_.get("/playlistItems", playlist_items_list, uploads_query(channel_id));
    if (!reply.ok()) {
        problem = reply.problem;
        co_return std::nullopt;
    }
    std::vector<std::string> ids;
    const auto* items = reply.body.as_object().if_contains("items");
    if (items != nullptr && items->is_array()) {
        for (const auto& item : items->get_array()) {
            const auto* details =
                item.is_object() ? item.as_object().if_contains("contentDetails") : nullptr;
            const auto* id = details != nullptr && details->is_object()
                                 ? details->as_object().if_contains("videoId")
                                 : nullptr;
            if (id != nullptr && id->is_string() && is_video_id(id->get_string())) {
                ids.emplace_back(id->get_string());
            }
        }
    }
    co_return ids;
}

bool feed_poller::take_fallback_unit() {
    const auto now = steady::now();
    const double per_second =
        fallback_share * static_cast<double>(settings_.daily_quota) / seconds_a_day;
    fallback_units_ =
        std::min(fallback_burst,
                 fallback_units_ +
                     per_second * std::chrono::duration<double>(now - fallback_refilled_).count());
    fallback_refilled_ = now;
    if (fallback_units_ < 1) {
        return false;
    }
    fallback_units_ -= 1;
    return true;
}

} // namespace streamscope::youtube

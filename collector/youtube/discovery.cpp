#include "collector/youtube/discovery.hpp"

#include <algorithm>
#include <set>

#include <boost/json/object.hpp>
#include <spdlog/spdlog.h>

#include "collector/platform/json_fields.hpp"
#include "collector/store/sweep_store.hpp"
#include "collector/youtube/channels.hpp"
#include "collector/youtube/ids.hpp"
#include "collector/youtube/queries.hpp"
#include "collector/youtube/tracking.hpp"
#include "collector/youtube/videos.hpp"

namespace streamscope::youtube {
namespace {

constexpr std::string_view from_discovery = "discovered";

} // namespace

std::vector<search_hit> read_search(const boost::json::value& answer) {
    const boost::json::object* o = answer.if_object();
    const boost::json::value* items = o != nullptr ? o->if_contains("items") : nullptr;
    if (items == nullptr || !items->is_array()) {
        collector::bad_field("items", "an array");
    }
    std::vector<search_hit> out;
    for (const boost::json::value& item : items->get_array()) {
        const auto* record = item.if_object();
        const auto* id = record != nullptr ? record->if_contains("id") : nullptr;
        const auto* snippet = record != nullptr ? record->if_contains("snippet") : nullptr;
        if (id == nullptr || !id->is_object() || snippet == nullptr || !snippet->is_object()) {
            continue;
        }
        const auto* video = id->as_object().if_contains("videoId");
        const auto* channel = snippet->as_object().if_contains("channelId");
        if (video != nullptr && video->is_string() && is_video_id(video->get_string()) &&
            channel != nullptr && channel->is_string() && is_channel_id(channel->get_string())) {
            out.push_back({std::string(video->get_string()), std::string(channel->get_string())});
        }
    }
    return out;
}

std::chrono::seconds search_spacing(std::int64_t calls_a_day) {
    constexpr double seconds_a_day = 86'400;
    const double usable = 0.9 * static_cast<double>(std::max<std::int64_t>(calls_a_day, 1));
    return std::max(std::chrono::seconds(60),
                    std::chrono::seconds(static_cast<std::int64_t>(seconds_a_day / usable)));
}

discovery::discovery(data_api& api, const youtube_settings& settings)
    : api_(api), settings_(settings) {}

boost::asio::awaitable<void> discovery::run_if_due(collector::sweep_store& store) {
    const auto now = std::chrono::steady_clock::now();
    if (settings_.discovery_queries.empty() || settings_.search_quota == 0 || now < next_) {
        co_return;
    }
    next_ = now + search_spacing(settings_.search_quota);
    const std::string& words = settings_.discovery_queries[next_query_];
    next_query_ = (next_query_ + 1) % settings_.discovery_queries.size();

    const data_reply found = co_await api_.get("/search", search_list, live_search_query(words));
    if (!found.ok()) {
        spdlog::warn("YouTube discovery: the search for \"{}\" failed ({}); the next query in "
                     "{} s",
                     words, found.problem, search_spacing(settings_.search_quota).count());
        co_return;
    }
    std::vector<search_hit> hits;
    try {
        hits = read_search(found.body);
    } catch (const std::exception& e) {
        spdlog::warn("YouTube discovery: the search answer cannot be read ({})", e.what());
        co_return;
    }
    // Only channels not watched yet, their live video's count first.
    const auto watchlist =
        co_await store.run([](pqxx::connection& c) { return load_watchlist(c); });
    std::set<std::string> watched;
    for (const auto& w : watchlist) {
        watched.insert(w.channel_id);
    }
    std::erase_if(hits, [&](const search_hit& h) { return watched.contains(h.channel_id); });
    std::vector<std::string> videos;
    for (const search_hit& h : hits) {
        videos.push_back(h.video_id);
    }
    std::vector<std::string> loud; // channels at or above the threshold
    std::vector<std::pair<std::string, std::string>> live_videos; // channel, video
    for (const std::vector<std::string>& batch : in_batches(videos)) {
        const data_reply counted =
            co_await api_.get("/videos", videos_list, broadcasts_query(batch));
        if (!counted.ok()) {
            spdlog::warn("YouTube discovery: the viewer counts of the search's videos failed ({})",
                         counted.problem);
            co_return;
        }
        for (const video& v : read_videos(counted.body).videos) {
            if (v.phase == video_phase::live && v.observation.viewer_count &&
                *v.observation.viewer_count >= settings_.discovery_min_viewers &&
                std::find(loud.begin(), loud.end(), v.channel_id) == loud.end()) {
                loud.push_back(v.channel_id);
                live_videos.emplace_back(v.channel_id, v.video_id);
            }
        }
    }
    std::vector<channel_info> channels;
    for (const std::vector<std::string>& batch : in_batches(loud)) {
        const data_reply named =
            co_await api_.get("/channels", channels_list, channels_query(batch));
        if (!named.ok()) {
            spdlog::warn("YouTube discovery: the found channels' names failed ({})", named.problem);
            co_return;
        }
        for (channel_info& c : read_channels(named.body)) {
            channels.push_back(std::move(c));
        }
    }
    if (channels.empty()) {
        spdlog::info("YouTube discovery: \"{}\" found {} live videos of channels not watched, "
                     "none with {} viewers or more",
                     words, hits.size(), settings_.discovery_min_viewers);
        co_return;
    }
    const std::size_t added = co_await store.run([&channels, &live_videos](pqxx::connection& c) {
        const std::size_t n = add_to_watchlist(c, channels, from_discovery);
        for (const auto& [channel, video] : live_videos) {
            record_found(c, channel, {video});
        }
        return n;
    });
    added_total_ += static_cast<std::int64_t>(added);
    spdlog::info("YouTube discovery: \"{}\" added {} channels with {} viewers or more to the "
                 "watchlist",
                 words, added, settings_.discovery_min_viewers);
}

} // namespace streamscope::youtube

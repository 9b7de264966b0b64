#pragma once
// YouTube's population as the mock simulates it: channels ("UC" + 22 characters), each with
// its uploads (11-character video ids), among them live broadcasts that go upcoming
// (scheduledStartTime) -> live (actualStartTime, a viewer count) -> ended (actualEndTime).
// Time only moves when the caller says so (advance_to), so that a test can run a day in
// seconds or stop the clock. A few channels are terminated (the API leaves them out, their feed
// and uploads playlist are gone) and a few videos removed (deleted or private: absent from
// every answer). Pure logic, deterministic for a seed and sequence of calls; not thread-safe.

#include <cstdint>
#include <optional>
#include <queue>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/time/timestamp.hpp"
#include "tests/platform_mock/rng.hpp"

namespace streamscope::platform_mock::youtube {

struct world_options {
    std::uint32_t channels = 2000;
    // The share of (non-terminated) channels live at any moment, on average: 100 of 2,000.
    double live_fraction = 0.05;
    std::uint64_t seed = 1;
};

enum class broadcast_state : std::uint8_t {
    none, // an ordinary upload, no liveStreamingDetails
    upcoming,
    live,
    ended,
};

std::string_view broadcast_state_name(broadcast_state s); // "none", "upcoming", ...

struct video {
    std::string id; // 11 characters of [A-Za-z0-9_-]
    std::uint32_t channel = 0;
    std::string title;
    time::timestamp published{};
    broadcast_state state = broadcast_state::none;
    time::timestamp scheduled_start{}; // broadcasts only
    time::timestamp actual_start{};    // live and ended only
    time::timestamp actual_end{};      // ended only
    std::int64_t base_viewers = 0;     // around which the live count moves
    bool owner_hides_viewers = false;  // concurrentViewers never shown
    bool has_tags = true;
    bool has_language = true;
    bool removed = false; // deleted or made private: absent from every answer
};

// Who the admin API says a channel is; `automatic` lets the simulation run it.
enum class pinned_state : std::uint8_t { automatic, live, upcoming, ended };

struct channel {
    static constexpr std::uint32_t no_broadcast = UINT32_MAX;

    std::string id;     // "UC" + 22 characters
    std::string handle; // "@name", unique ignoring case
    std::string title;
    time::timestamp published{};
    bool terminated = false;
    std::vector<std::uint32_t> uploads;   // video indices, oldest first
    std::uint32_t current = no_broadcast; // its upcoming or live broadcast
    bool viewers_hidden = false;          // set by the admin: hides every count
    pinned_state pinned = pinned_state::automatic;
    unsigned feed_status = 0;               // set by the admin: the feed answers this (0: 200)
    time::timestamp next_broadcast_event{}; // announce, go live or end
    time::timestamp next_upload{};
};

class world {
public:
    // Builds channels with a past (uploads and ended broadcasts before `now`) and the present
    // (live_fraction of them live, some upcoming).
    world(const world_options& options, time::timestamp now);

    // Runs every scheduled event up to `now`: announcements, starts, ends and new uploads.
    // Earlier times than the last one are ignored.
    void advance_to(time::timestamp now);
    time::timestamp now() const { return now_; }

    // The admin's overrides, at the current time. set_state pins the channel there until
    // set_state(automatic): live starts (or announces and starts) a broadcast, upcoming
    // announces one (ending a live one first), ended ends a live broadcast or cancels an
    // upcoming one (removed, as YouTube deletes it).
    void set_state(std::uint32_t channel_index, pinned_state state);

    // What concurrentViewers says at `t`; nullopt when absent (not live, hidden, no viewers).
    std::optional<std::int64_t> concurrent_viewers(const video& v, time::timestamp t) const;

    std::span<const channel> channels() const { return channels_; }
    channel& channel_at(std::uint32_t index) { return channels_[index]; }
    const channel& channel_at(std::uint32_t index) const { return channels_[index]; }
    std::span<const video> videos() const { return videos_; }
    const video& video_at(std::uint32_t index) const { return videos_[index]; }
    std::uint64_t seed() const { return options_.seed; }

    // nullptr when unknown (terminated channels are found: callers decide).
    const channel* find_channel(std::string_view id) const;
    const channel* find_channel_by_handle(std::string_view handle) const; // with or without @
    const video* find_video(std::string_view id) const;
    std::uint32_t channel_index(const channel& c) const {
        return static_cast<std::uint32_t>(&c - channels_.data());
    }
    std::uint32_t video_index(const video& v) const {
        return static_cast<std::uint32_t>(&v - videos_.data());
    }

    // A per-video random stream for what is derived on demand (descriptions, tags, chat id).
    rng video_rng(const video& v, std::uint64_t salt) const;
    // The video's description: the same text wherever it is shown (videos.list, search, the
    // channel's feed).
    std::string description(const video& v) const;

private:
    enum class event_kind : std::uint8_t { broadcast, upload };
    struct event {
        time::timestamp at;
        std::uint32_t channel;
        event_kind kind;
        bool operator>(const event& o) const { return at > o.at; }
    };

    std::uint32_t add_video(std::uint32_t channel_index, time::timestamp published,
                            broadcast_state state);
    std::string unique_video_id();
    void announce(std::uint32_t channel_index, time::timestamp t);
    void go_live(std::uint32_t channel_index, time::timestamp t);
    void end(std::uint32_t channel_index, time::timestamp t);
    void run_broadcast_event(std::uint32_t channel_index, time::timestamp t);
    void schedule(std::uint32_t channel_index, event_kind kind, time::timestamp at);

    std::chrono::seconds random_lead();
    std::chrono::seconds random_duration();
    std::chrono::seconds random_gap();
    std::chrono::seconds random_upload_interval();

    world_options options_;
    rng rng_;
    time::timestamp now_;
    std::vector<channel> channels_;
    std::vector<video> videos_;
    std::priority_queue<event, std::vector<event>, std::greater<>> events_;
    std::unordered_map<std::string, std::uint32_t> channel_by_id_;
    std::unordered_map<std::string, std::uint32_t> channel_by_handle_; // lower case, no @
    std::unordered_map<std::string, std::uint32_t> video_by_id_;
};

} // namespace streamscope::platform_mock::youtube

#pragma once
// A simulated platform's population: channels, games (categories), and the live streams among
// them in the order the platform's listing pages through them: by viewers (Twitch's Get
// Streams: viewer_count descending, then stream id ascending) or by start (Kick's v2
// livestreams: oldest first, then stream id ascending). Each platform has its own instance.
// Pure logic: no I/O and no clock of its own (callers pass the time). Deterministic for a given
// seed and sequence of calls. Not thread-safe; the server uses it from its one I/O thread.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/time/timestamp.hpp"
#include "tests/platform_mock/rng.hpp"

namespace streamscope::platform_mock {

// How many streams one churn step touches: a fixed number, or a percentage of the streams live
// at that moment. Fractions are rounded up or down at random, so 0.5 means "every other step
// on average".
struct churn_amount {
    double value = 0;
    bool percent = false;
};

enum class world_order {
    by_viewers, // Twitch
    by_start,   // Kick
};

struct world_options {
    world_order order = world_order::by_viewers;
    std::uint32_t streams = 1000;  // live at the start
    std::uint32_t channels = 1000; // the whole population, live and offline; >= streams
    std::uint32_t games = 500;
    std::uint64_t seed = 1;
    churn_amount drift{0.5, true};  // live streams that get a new viewer count per tick
    churn_amount end{0.05, true};   // live streams that go offline per tick
    churn_amount start{0.05, true}; // offline channels that go live per tick
};

struct game {
    std::string id;
    std::string name;
    std::string igdb_id; // "" for some, as on Twitch
};

struct channel {
    static constexpr std::uint32_t no_game = UINT32_MAX;
    static constexpr std::uint32_t offline = UINT32_MAX;

    std::string user_id; // opaque numeric string, unique
    std::string login;   // lowercase ascii, unique
    std::string display_name;
    std::string title;               // of the current (or last) broadcast
    std::vector<std::uint16_t> tags; // indices into text::tag_pool()
    std::uint32_t game = no_game;    // index into world::games(), or no_game (no category)
    std::uint8_t language = 0;       // index into world::languages()
    std::uint32_t live_slot = offline;
};

// What Get Users shows beyond the channel itself; derived from the seed on demand so that a
// large population does not hold every description in memory.
struct channel_profile {
    std::string broadcaster_type; // partner, affiliate or ""
    std::string description;
    std::string profile_image_url;
    std::string offline_image_url; // "" for some
    std::string created_at;
    std::int64_t followers = 0;
};

struct live_stream {
    std::uint64_t id = 0; // unique forever: going live again means a new id
    std::string id_text;  // the same as a decimal string
    std::uint32_t channel = 0;
    std::int64_t viewer_count = 0;
    std::string started_at;      // RFC 3339 UTC; a few with 1 to 9 fractional digits
    std::int64_t started_ns = 0; // the same instant, nanoseconds since the Unix epoch
    std::uint64_t since_tick = 0;
};

// One row of the ranking, with its sort key copied in so that re-ranking stays in cache. The
// key is the viewer_count by viewers, and minus started_ns by start: one comparison (key
// descending, then stream id ascending) serves both orders.
struct ranked_stream {
    std::int64_t key;
    std::uint64_t stream_id;
    std::uint32_t slot; // for world::stream()
};

// Whether `a` comes before `b` in the listing.
inline bool ranks_before(const ranked_stream& a, const ranked_stream& b) {
    if (a.key != b.key) {
        return a.key > b.key;
    }
    return a.stream_id < b.stream_id;
}

class world {
public:
    // Builds the population and its first live streams. `now` dates their started_at.
    // Throws std::invalid_argument when options.streams > options.channels.
    world(const world_options& options, time::timestamp now);

    // One step of churn: drift, then ends, then starts (see world_options). `now` dates the
    // streams that start. By start, drift changes viewer counts without moving anything.
    void tick(time::timestamp now);

    std::uint64_t tick_count() const { return tick_; }

    // Every live stream in listing order (see ranks_before).
    std::span<const ranked_stream> ranking() const { return ranking_; }
    world_order order() const { return options_.order; }
    std::uint64_t seed() const { return options_.seed; }

    const live_stream& stream(std::uint32_t slot) const { return streams_[slot]; }
    const channel& channel_at(std::uint32_t index) const { return channels_[index]; }
    channel_profile profile(std::uint32_t channel_index) const;
    std::span<const game> games() const { return games_; }
    static std::span<const std::string_view> languages();

    // nullptr when unknown.
    const game* game_of(const channel& c) const;
    const channel* find_channel_by_id(std::string_view user_id) const;
    const channel* find_channel_by_login(std::string_view login) const;
    const game* find_game_by_id(std::string_view id) const;
    const game* find_game_by_name(std::string_view name) const;
    std::uint32_t channel_index(const channel& c) const {
        return static_cast<std::uint32_t>(&c - channels_.data());
    }

private:
    std::uint32_t go_live(std::uint32_t channel_index, time::timestamp now, bool initial);
    ranked_stream ranked(std::uint32_t slot) const;
    std::uint32_t take_offline_channel(std::uint64_t position);
    std::uint64_t amount(const churn_amount& a);
    std::int64_t drifted(std::int64_t viewers);

    world_options options_;
    rng rng_;
    std::uint64_t tick_ = 0;
    std::uint64_t next_stream_id_;

    std::vector<game> games_;
    std::vector<channel> channels_;
    std::vector<live_stream> streams_; // by slot; free slots are reused
    std::vector<std::uint32_t> free_slots_;
    std::vector<std::uint32_t> offline_;     // channel indices, any order
    std::vector<std::uint32_t> offline_pos_; // channel index -> position in offline_
    std::vector<ranked_stream> ranking_;

    // Scratch space for tick(), kept to avoid reallocating per request.
    std::vector<std::uint8_t> mark_;     // by slot
    std::vector<ranked_stream> removed_; // entries to take out, under their old key
    std::vector<ranked_stream> changed_; // entries to put in, under their new key
    std::vector<std::uint32_t> redrawn_; // by start: slots drifted in place, to unmark

    std::unordered_map<std::string_view, std::uint32_t> channel_by_id_;
    std::unordered_map<std::string_view, std::uint32_t> channel_by_login_;
    std::unordered_map<std::string_view, std::uint32_t> game_by_id_;
    std::unordered_map<std::string_view, std::uint32_t> game_by_name_;
};

} // namespace streamscope::platform_mock

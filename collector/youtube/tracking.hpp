#pragma once
// What the database keeps about YouTube (sql/migrations/0017_youtube.sql): the watchlist, the
// videos found on its channels and where each is in its life, and the quota ledger that every
// collector on the database spends from. SQL lives here, next to the code that owns it; each
// function runs in a transaction of its own on the connection it is given.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "collector/youtube/channels.hpp"
#include "collector/youtube/videos.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::youtube {

// ---- The watchlist ----------------------------------------------------------------------

struct watched_channel {
    std::string channel_id;
    std::string handle; // without "@"; "" while unknown
    std::string title;
    std::string source; // command, setting, discovered
    time::timestamp added_at;
    std::optional<time::timestamp> feed_polled_at;
    std::int32_t feed_failures = 0;
};

// Every watched channel, in the order they were added.
std::vector<watched_channel> load_watchlist(pqxx::connection& conn);

// Adds the channels (their handle and title refreshed when already there: the source stays
// the first one's). Returns how many were not on the watchlist before.
std::size_t add_to_watchlist(pqxx::connection& conn, const std::vector<channel_info>& channels,
                             std::string_view source);

// The channel ids of watched channels with these handles (lower case, without "@"), as
// handle -> id: a handle the watchlist knows costs no channels.list call.
std::map<std::string, std::string> watched_handles(pqxx::connection& conn,
                                                   const std::vector<std::string>& handles);

// Removes channels, by id; their videos go with them. Returns the ids that were watched.
std::vector<std::string> remove_from_watchlist(pqxx::connection& conn,
                                               const std::vector<std::string>& channel_ids);

// ---- Videos -----------------------------------------------------------------------------

// Notes a channel's feed (or uploads playlist) answer: the video ids it lists, new ones taken
// as candidates for the next sweep. `ok` false: the feed failed (counted, in a row). Returns
// how many of the ids were new; none are when the channel is no longer watched.
std::size_t record_feed(pqxx::connection& conn, std::string_view channel_id, bool ok,
                        const std::vector<std::string>& video_ids);

// Notes videos found elsewhere than in the channel's feed (discovery's search): candidates
// for the next sweep. Returns how many were new (none when the channel is not watched).
std::size_t record_found(pqxx::connection& conn, std::string_view channel_id,
                         const std::vector<std::string>& video_ids);

struct candidate {
    std::string video_id;
    std::string channel_id;
};

// The videos the next sweep asks videos.list about: those found and not asked yet, the live
// ones, and the upcoming ones (those scheduled more than a day away, or long overdue, once an
// hour), at most `limit`, the live ones first.
std::vector<candidate> load_candidates(pqxx::connection& conn, time::timestamp now,
                                       std::size_t limit);

// Stores what videos.list said: each video's phase, and `missing` (ids it left out: deleted or
// private) as gone.
void record_checked(pqxx::connection& conn, const std::vector<video>& videos,
                    const std::vector<std::string>& missing, time::timestamp now);

// Drops videos that are over (ended, uploads, gone) and were found more than `keep` ago.
std::int64_t forget_old_videos(pqxx::connection& conn, std::chrono::hours keep);

// ---- The quota ledger -------------------------------------------------------------------

// Methods as the ledger names them.
inline constexpr std::string_view videos_list = "videos.list";
inline constexpr std::string_view channels_list = "channels.list";
inline constexpr std::string_view playlist_items_list = "playlistItems.list";
inline constexpr std::string_view search_list = "search.list";
// What YouTube said was spent by another application on the same key.
inline constexpr std::string_view spent_elsewhere = "elsewhere";

// Spends `units` of quota day `day`'s bucket for `method` if it holds them (search.list has a
// bucket of its own): the bucket's total after spending, or nullopt, spending nothing.
std::optional<std::int64_t> spend_quota(pqxx::connection& conn, std::chrono::year_month_day day,
                                        std::string_view method, std::int32_t units,
                                        std::int64_t quota);

// The units spent on quota day `day`, per method.
std::map<std::string, std::int64_t> spent_on(pqxx::connection& conn,
                                             std::chrono::year_month_day day);

// YouTube answered quotaExceeded: the shared bucket is full for the day whatever our ledger
// says. Fills it up to `quota` under spent_elsewhere, so that every collector stops.
void mark_quota_exhausted(pqxx::connection& conn, std::chrono::year_month_day day,
                          std::int64_t quota);

// The units of the shared bucket (everything but search.list) in `spent`.
std::int64_t shared_bucket(const std::map<std::string, std::int64_t>& spent);

} // namespace streamscope::youtube

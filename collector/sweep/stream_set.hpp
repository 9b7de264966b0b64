#pragma once
// The streams one sweep has seen, one per channel. Get Streams re-sorts while it is paged, so
// a stream can come back on a later page: the later sighting replaces the earlier one (its
// viewer count is newer) and counts as a duplicate. A channel has one live broadcast at a
// time; should the same channel show up with a new stream id, the newer broadcast wins.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>

#include "common/model/sweep.hpp"

namespace streamscope::collector {

class stream_set {
public:
    // `expected`: about how many streams will come (the last sweep's count), to size the index.
    explicit stream_set(std::size_t expected = 0);
    stream_set(const stream_set&) = delete; // the index points into the set
    stream_set& operator=(const stream_set&) = delete;

    // Adds a sighting; returns false when it replaced an earlier sighting of the channel.
    bool add(model::stream_observation stream);
    // The same, for a sighting that was looked for twice on purpose (a second pass over part
    // of the list): a channel seen before is updated, not counted as a duplicate.
    bool add_again(model::stream_observation stream);

    bool has_channel(std::string_view user_id) const;
    // The stream id seen for the channel, or "" when the channel was not seen.
    std::string_view stream_of(std::string_view user_id) const;

    std::size_t size() const { return streams_.size(); }
    std::int32_t duplicates() const { return duplicates_; }
    const std::deque<model::stream_observation>& streams() const { return streams_; }
    // Moves the streams out; the set is empty afterwards.
    std::deque<model::stream_observation> take();

private:
    // The index holds positions in streams_ and hashes and compares them by the stream's user
    // id, which it can also look up directly: 100,000 channels cost 3 MB instead of the 7 MB
    // of a map from a copy of the id.
    struct by_user {
        using is_transparent = void;
        const std::deque<model::stream_observation>* streams;

        std::string_view user(std::size_t i) const { return (*streams)[i].platform_user_id; }
        std::string_view user(std::string_view id) const { return id; }
        template <typename K>
        std::size_t operator()(const K& k) const {
            return std::hash<std::string_view>{}(user(k));
        }
        template <typename A, typename B>
        bool operator()(const A& a, const B& b) const {
            return user(a) == user(b);
        }
    };

    std::deque<model::stream_observation> streams_;
    std::unordered_set<std::size_t, by_user, by_user> index_;
    bool insert(model::stream_observation stream, bool count_duplicate);

    std::int32_t duplicates_ = 0;
};

} // namespace streamscope::collector

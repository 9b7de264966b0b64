#pragma once
// The Data API requests the collector makes, in one place: their parameters, and the batches
// of ids they take (50 for a unit). Built in plain functions, outside the coroutines that send
// them: GCC 12 fails on string literals turned into std::string inside a coroutine's body
// ("array used as initializer").

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "collector/platform/api_client.hpp"

namespace streamscope::youtube {

// videos.list and channels.list take at most this many ids a call (a unit each).
inline constexpr std::size_t ids_per_call = 50;

// "a,b,c", as `id` takes them.
std::string comma_list(const std::vector<std::string>& ids);

// `items` cut into runs of at most `size`, in order.
template <typename T>
std::vector<std::vector<T>> in_batches(const std::vector<T>& items,
                                       std::size_t size = ids_per_call) {
    std::vector<std::vector<T>> out;
    for (std::size_t at = 0; at < items.size(); at += size) {
        const auto end = std::min(items.size(), at + size);
        out.emplace_back(items.begin() + static_cast<std::ptrdiff_t>(at),
                         items.begin() + static_cast<std::ptrdiff_t>(end));
    }
    return out;
}

// videos.list(part=snippet,liveStreamingDetails) of these videos.
collector::query broadcasts_query(const std::vector<std::string>& video_ids);
// channels.list(part=snippet) of these channels.
collector::query channels_query(const std::vector<std::string>& channel_ids);
// channels.list(part=snippet) of the channel with this @handle.
collector::query handle_query(const std::string& handle);
// playlistItems.list of the channel's uploads playlist, the newest 50.
collector::query uploads_query(const std::string& channel_id);
// search.list of live videos matching `words`, the most watched first.
collector::query live_search_query(const std::string& words);

} // namespace streamscope::youtube

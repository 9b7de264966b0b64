#include "collector/sweep/stream_set.hpp"

namespace streamscope::collector {

stream_set::stream_set(std::size_t expected)
    : index_(expected, by_user{&streams_}, by_user{&streams_}) {}

bool stream_set::add(model::stream_observation stream) {
    return insert(std::move(stream), true);
}

bool stream_set::add_again(model::stream_observation stream) {
    return insert(std::move(stream), false);
}

bool stream_set::insert(model::stream_observation stream, bool count_duplicate) {
    if (auto it = index_.find(std::string_view(stream.platform_user_id)); it != index_.end()) {
        streams_[*it] = std::move(stream); // same user id: the index entry stays valid
        duplicates_ += count_duplicate ? 1 : 0;
        return false;
    }
    streams_.push_back(std::move(stream));
    index_.insert(streams_.size() - 1);
    return true;
}

bool stream_set::has_channel(std::string_view user_id) const {
    return index_.find(user_id) != index_.end();
}

std::string_view stream_set::stream_of(std::string_view user_id) const {
    auto it = index_.find(user_id);
    return it == index_.end() ? std::string_view{} : streams_[*it].platform_stream_id;
}

std::deque<model::stream_observation> stream_set::take() {
    index_.clear();
    duplicates_ = 0;
    std::deque<model::stream_observation> out = std::move(streams_);
    streams_.clear();
    return out;
}

} // namespace streamscope::collector

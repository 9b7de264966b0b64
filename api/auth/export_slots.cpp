#include "api/auth/export_slots.hpp"

namespace streamscope::api {

// What a slot is: giving it back when it goes.
class export_slots::release {
public:
    release(export_slots& owner, std::int64_t key) : owner_(owner), key_(key) {}
    ~release() { owner_.give_back(key_); }
    release(const release&) = delete;
    release& operator=(const release&) = delete;

private:
    export_slots& owner_;
    std::int64_t key_;
};

export_slots::outcome export_slots::take(std::int64_t key) {
    {
        const std::lock_guard lock{mutex_};
        if (running_ >= max_running_) {
            return {nullptr, refusal::server_busy};
        }
        if (key != 0) {
            unsigned& mine = by_key_[key];
            if (mine >= per_key_) {
                return {nullptr, refusal::key_busy};
            }
            ++mine;
        }
        ++running_;
    }
    return {std::make_shared<const release>(*this, key), refusal::none};
}

unsigned export_slots::running() const {
    const std::lock_guard lock{mutex_};
    return running_;
}

void export_slots::give_back(std::int64_t key) {
    const std::lock_guard lock{mutex_};
    --running_;
    if (key != 0) {
        if (const auto it = by_key_.find(key); it != by_key_.end() && --it->second == 0) {
            by_key_.erase(it);
        }
    }
}

} // namespace streamscope::api

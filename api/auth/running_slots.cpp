#include "api/auth/running_slots.hpp"

namespace streamscope::api {

// What a slot is: giving it back when it goes.
class running_slots::release {
public:
    release(running_slots& owner, std::string who) : owner_(owner), who_(std::move(who)) {}
    ~release() { owner_.give_back(who_); }
    release(const release&) = delete;
    release& operator=(const release&) = delete;

private:
    running_slots& owner_;
    std::string who_;
};

running_slots::outcome running_slots::take(const std::string& who, unsigned per_client) {
    {
        const std::lock_guard lock{mutex_};
        if (running_ >= max_running_) {
            return {nullptr, refusal::server_busy};
        }
        if (!who.empty()) {
            unsigned& mine = by_client_[who];
            if (mine >= per_client) {
                if (mine == 0) {
                    by_client_.erase(who);
                }
                return {nullptr, refusal::client_busy};
            }
            ++mine;
        }
        ++running_;
    }
    return {std::make_shared<const release>(*this, who), refusal::none};
}

unsigned running_slots::running() const {
    const std::lock_guard lock{mutex_};
    return running_;
}

void running_slots::give_back(const std::string& who) {
    const std::lock_guard lock{mutex_};
    --running_;
    if (!who.empty()) {
        if (const auto it = by_client_.find(who); it != by_client_.end() && --it->second == 0) {
            by_client_.erase(it);
        }
    }
}

std::string key_slot_owner(std::int64_t key_id) {
    return key_id == 0 ? std::string() : "key " + std::to_string(key_id);
}

} // namespace streamscope::api

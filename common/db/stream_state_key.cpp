#include "common/db/stream_state_key.hpp"

#include <string_view>

namespace streamscope::db {
namespace {

class fnv1a {
public:
    void bytes(std::string_view data) {
        for (const char c : data) {
            hash_ = (hash_ ^ static_cast<unsigned char>(c)) * prime;
        }
    }
    void number(std::uint64_t value) {
        for (int i = 0; i < 8; ++i) {
            hash_ = (hash_ ^ (value & 0xff)) * prime;
            value >>= 8;
        }
    }
    void field(std::string_view text) {
        bytes(text);
        number(text.size());
    }
    std::uint64_t value() const { return hash_; }

private:
    static constexpr std::uint64_t prime = 0x100000001b3;
    std::uint64_t hash_ = 0xcbf29ce484222325;
};

} // namespace

std::int64_t stream_state_key(const model::stream_observation& s) {
    fnv1a h;
    h.field(s.platform_user_id);
    h.field(s.login);
    h.field(s.display_name);
    h.field(s.platform_game_id);
    h.field(s.game_name);
    h.field(s.title);
    h.number(s.tags.size());
    for (const std::string& tag : s.tags) {
        h.field(tag);
    }
    h.number(static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(s.started_at.time_since_epoch())
            .count()));
    h.field(s.language);
    h.field(s.thumbnail_url);
    h.number(s.is_mature ? 1 : 0);
    return static_cast<std::int64_t>(h.value());
}

} // namespace streamscope::db

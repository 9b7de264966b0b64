#pragma once
// App access tokens, as an OAuth server issues them for the client-credentials grant: random
// strings in the platform's style, valid for its lifetime, which a revoke_tokens fault (or an
// admin call) can invalidate all at once. One registry per platform, for its one client.
// Tokens are deterministic for a given seed. Not thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "tests/platform_mock/rng.hpp"

namespace streamscope::platform_mock {

struct token_style {
    std::string_view alphabet;
    int length = 0;
    std::int64_t lifetime_s = 0;
};

// id.twitch.tv: 30 lowercase letters and digits, valid for 5011271 seconds.
inline constexpr token_style twitch_tokens{"abcdefghijklmnopqrstuvwxyz0123456789", 30, 5'011'271};

class token_registry {
public:
    using clock = std::chrono::system_clock;

    token_registry(std::string client_id, std::string client_secret, std::uint64_t seed,
                   token_style style = twitch_tokens);

    const std::string& client_id() const { return client_id_; }
    bool secret_matches(std::string_view secret) const { return secret == client_secret_; }
    std::int64_t lifetime_s() const { return style_.lifetime_s; }

    // A new token for client_id().
    std::string issue(clock::time_point now);

    // Seconds the token has left; nullopt when it is unknown, revoked or expired.
    std::optional<std::int64_t> remaining(std::string_view token, clock::time_point now) const;

    // Invalidates every token issued so far and returns how many were valid; later ones work.
    std::size_t revoke_all() {
        const std::size_t n = expiry_.size();
        expiry_.clear();
        return n;
    }

    std::uint64_t issued() const { return issued_; }

private:
    std::string client_id_;
    std::string client_secret_;
    token_style style_;
    rng rng_;
    std::uint64_t issued_ = 0;
    std::unordered_map<std::string, clock::time_point> expiry_;
};

} // namespace streamscope::platform_mock

#pragma once
// App access tokens, as id.twitch.tv issues them for the client-credentials grant: random
// 30-character strings valid for 5011271 seconds, which a revoke_tokens fault can invalidate
// all at once. Tokens are deterministic for a given seed. Not thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "tests/platform_mock/rng.hpp"

namespace streamscope::platform_mock {

class token_registry {
public:
    using clock = std::chrono::system_clock;
    static constexpr std::int64_t lifetime_s = 5'011'271;

    token_registry(std::string client_id, std::string client_secret, std::uint64_t seed);

    const std::string& client_id() const { return client_id_; }
    bool secret_matches(std::string_view secret) const { return secret == client_secret_; }

    // A new token for client_id().
    std::string issue(clock::time_point now);

    // Seconds the token has left; nullopt when it is unknown, revoked or expired.
    std::optional<std::int64_t> remaining(std::string_view token, clock::time_point now) const;

    // Invalidates every token issued so far; later ones work.
    void revoke_all() { expiry_.clear(); }

    std::uint64_t issued() const { return issued_; }

private:
    std::string client_id_;
    std::string client_secret_;
    rng rng_;
    std::uint64_t issued_ = 0;
    std::unordered_map<std::string, clock::time_point> expiry_;
};

} // namespace streamscope::platform_mock

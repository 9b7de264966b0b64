#include "tests/platform_mock/tokens.hpp"

namespace streamscope::platform_mock {

token_registry::token_registry(std::string client_id, std::string client_secret, std::uint64_t seed,
                               token_style style)
    : client_id_(std::move(client_id)), client_secret_(std::move(client_secret)), style_(style),
      rng_(rng::mix(seed ^ 0x70c3e5ULL)) {}

std::string token_registry::issue(clock::time_point now) {
    std::string token;
    do {
        token.clear();
        for (int i = 0; i < style_.length; ++i) {
            token += rng_.pick(style_.alphabet);
        }
    } while (expiry_.contains(token));
    expiry_.emplace(token, now + std::chrono::seconds(style_.lifetime_s));
    ++issued_;
    return token;
}

std::optional<std::int64_t> token_registry::remaining(std::string_view token,
                                                      clock::time_point now) const {
    const auto it = expiry_.find(std::string(token));
    if (it == expiry_.end() || it->second <= now) {
        return std::nullopt;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(it->second - now).count();
}

} // namespace streamscope::platform_mock

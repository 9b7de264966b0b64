#pragma once
// Who may call a route, and how often: AUTH_MODE says whether keys are needed (off, keys,
// open-read), the route says which scope. A request without a key where one is needed, or with
// a key that is unknown, revoked or expired, gets 401; a key whose scope does not cover the
// route, 403; a key over its rate (or an anonymous address over API_ANON_RATE), 429 with
// Retry-After. All in the one error shape; every answer counted against a rate says where its
// client stands (rate_limiter.hpp).

#include <optional>
#include <string_view>

#include "api/auth/api_key.hpp"
#include "api/auth/client_address.hpp"
#include "api/auth/key_store.hpp"
#include "api/auth/rate_limiter.hpp"
#include "common/http/handler.hpp"

namespace streamscope::api {

// off: no key is needed or checked. keys: every route but /health needs one. open-read:
// reading needs none (anonymous clients), exporting and administering do.
enum class auth_mode { off, keys, open_read };

std::optional<auth_mode> parse_auth_mode(std::string_view text);

// The rates and who may name the client's address.
struct rate_settings {
    unsigned key_rate = 600;      // requests a minute of a key that sets none
    unsigned anonymous_rate = 60; // requests a minute of an address without a key (open-read)
    trusted_proxies proxies;
};

class guard {
public:
    guard(auth_mode mode, key_store& keys, rate_limiter& limits, rate_settings rates)
        : mode_(mode), keys_(keys), limits_(limits), rates_(std::move(rates)) {}

    // `inner` behind the check for `needed`; with AUTH_MODE=off, `inner` itself.
    http::handler need(scope needed, http::handler inner) const;

    auth_mode mode() const { return mode_; }

private:
    auth_mode mode_;
    key_store& keys_;
    rate_limiter& limits_;
    rate_settings rates_;
};

} // namespace streamscope::api

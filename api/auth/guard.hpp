#pragma once
// Who may call a route: AUTH_MODE says whether keys are needed (off, keys, open-read), the
// route says which scope. A request without a key where one is needed, or with a key that is
// unknown, revoked or expired, gets 401; a key whose scope does not cover the route, 403. Both
// in the one error shape.

#include <optional>
#include <string_view>

#include "api/auth/api_key.hpp"
#include "api/auth/key_store.hpp"
#include "common/http/handler.hpp"

namespace streamscope::api {

// off: no key is needed or checked. keys: every route but /health needs one. open-read:
// reading needs none (anonymous clients), exporting and administering do.
enum class auth_mode { off, keys, open_read };

std::optional<auth_mode> parse_auth_mode(std::string_view text);

class guard {
public:
    guard(auth_mode mode, key_store& keys) : mode_(mode), keys_(keys) {}

    // `inner` behind the check for `needed`; with AUTH_MODE=off, `inner` itself.
    http::handler need(scope needed, http::handler inner) const;

    auth_mode mode() const { return mode_; }

private:
    auth_mode mode_;
    key_store& keys_;
};

} // namespace streamscope::api

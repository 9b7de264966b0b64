#pragma once
// A platform's app access token (OAuth client-credentials flow), as Twitch and Kick issue them:
// fetched on first use, validated at start and every hour where the platform offers validation
// (Twitch requires it), and fetched anew when the API says it is no longer valid (app tokens
// cannot be refreshed).

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/config/secret.hpp"
#include "common/http/client.hpp"
#include "common/time/backoff.hpp"

namespace streamscope::collector {

struct credentials {
    std::string client_id;
    config::secret client_secret;
};

// How one platform's token service is reached and named in messages.
struct oauth_endpoint {
    std::string platform;      // "Twitch", in messages
    std::string token_path;    // appended to the auth origin's base path: "/token"
    std::string validate_path; // "/validate"; empty where the platform has none
    std::string id_setting;    // "TWITCH_CLIENT_ID": what a person must fix
    std::string secret_setting;
    std::string auth_setting; // "TWITCH_AUTH_BASE_URL"
    std::string console;      // where applications are registered
};

// The platform refused the client id or secret: retrying cannot help, a person must fix the
// settings. The message names the settings and never holds the secret.
class credentials_rejected : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The platform's token service could not be reached or kept failing after the bounded retries.
class platform_unavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class oauth_token_source {
public:
    oauth_token_source(http::client& auth, credentials creds, time::backoff_policy retry,
                       oauth_endpoint endpoint);

    const std::string& client_id() const { return creds_.client_id; }
    const oauth_endpoint& endpoint() const { return endpoint_; }

    // The current token; fetches one when there is none, and validates it when the last
    // validation is an hour old. Throws credentials_rejected or platform_unavailable.
    boost::asio::awaitable<std::string> token();

    // The API answered 401 to `rejected`: forget it and fetch a new one (unless that already
    // happened since).
    boost::asio::awaitable<void> renew(const std::string& rejected);

    // When the current token expires, as the platform last said; nullopt before the first one.
    std::optional<std::chrono::system_clock::time_point> expires_at() const { return expires_at_; }

private:
    boost::asio::awaitable<http::response> send_with_retries(http::request req,
                                                             std::string_view what);
    boost::asio::awaitable<void> fetch();
    boost::asio::awaitable<bool> validate(); // false: the token is no longer valid

    http::client& auth_;
    credentials creds_;
    time::backoff_policy retry_;
    oauth_endpoint endpoint_;
    std::optional<std::string> token_;
    std::chrono::steady_clock::time_point validated_at_{};
    std::optional<std::chrono::system_clock::time_point> expires_at_;
};

} // namespace streamscope::collector

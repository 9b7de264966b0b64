#pragma once
// The app access token (OAuth client-credentials flow): fetched on first use, validated at
// start and every hour as Twitch requires, and fetched anew when Helix says it is no longer
// valid (app tokens cannot be refreshed).

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/config/secret.hpp"
#include "common/http/client.hpp"
#include "common/time/backoff.hpp"

namespace streamscope::twitch {

struct credentials {
    std::string client_id;
    config::secret client_secret;
};

// Twitch refused the client id or secret: retrying cannot help, a person must fix the
// settings. The message names the settings and never holds the secret.
class credentials_rejected : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Twitch could not be reached or kept failing after the bounded retries.
class twitch_unavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class token_source {
public:
    token_source(http::client& auth, credentials creds, time::backoff_policy retry);

    const std::string& client_id() const { return creds_.client_id; }

    // The current token; fetches one when there is none, and validates it when the last
    // validation is an hour old. Throws credentials_rejected or twitch_unavailable.
    boost::asio::awaitable<std::string> token();

    // Helix answered 401 to `rejected`: forget it and fetch a new one (unless that already
    // happened since).
    boost::asio::awaitable<void> renew(const std::string& rejected);

    // When the current token expires, as Twitch last said; nullopt before the first one.
    std::optional<std::chrono::system_clock::time_point> expires_at() const { return expires_at_; }

private:
    boost::asio::awaitable<http::response> send_with_retries(http::request req,
                                                             std::string_view what);
    boost::asio::awaitable<void> fetch();
    boost::asio::awaitable<bool> validate(); // false: the token is no longer valid

    http::client& auth_;
    credentials creds_;
    time::backoff_policy retry_;
    std::optional<std::string> token_;
    std::chrono::steady_clock::time_point validated_at_{};
    std::optional<std::chrono::system_clock::time_point> expires_at_;
};

} // namespace streamscope::twitch

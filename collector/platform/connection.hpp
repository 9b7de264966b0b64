#pragma once
// How the collector reaches a platform that issues app tokens over OAuth (Twitch, Kick): its
// settings, and the kept-alive HTTPS clients of its token host and API host with the app token,
// built once for a platform client.

#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>

#include "collector/platform/oauth_token_source.hpp"
#include "common/http/client.hpp"
#include "common/time/backoff.hpp"

namespace streamscope::collector {

// The part of a platform's settings that says how to reach it.
struct api_access {
    collector::credentials credentials;
    http::origin api;  // the API's base URL; paths are appended as the platform writes them
    http::origin auth; // the token host's base URL
    std::optional<std::string> ca_file;
    http::timeouts timeouts;
    int max_retries = 0;
};

class platform_connection {
public:
    // Throws std::runtime_error when access.ca_file cannot be read. `access` must outlive it.
    platform_connection(boost::asio::any_io_executor executor, const api_access& access,
                        oauth_endpoint endpoint);
    platform_connection(const platform_connection&) = delete;
    platform_connection& operator=(const platform_connection&) = delete;

    http::client& api() { return api_http_; }
    oauth_token_source& tokens() { return tokens_; }
    const oauth_token_source& tokens() const { return tokens_; }
    const time::backoff_policy& retry() const { return retry_; }

    // Aborts the requests in flight on both hosts; on the executor.
    void cancel();

private:
    boost::asio::ssl::context tls_;
    http::client auth_http_;
    http::client api_http_;
    time::backoff_policy retry_;
    oauth_token_source tokens_;
};

} // namespace streamscope::collector

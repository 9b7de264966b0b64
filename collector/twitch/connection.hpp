#pragma once
// Everything the collector needs to talk to Twitch, built once from its settings: the TLS
// context, the kept-alive HTTPS clients of the OAuth and Helix hosts, the app token and the
// Helix client. `--once` and the daemon both sweep through one of these.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>

#include "collector/twitch/helix_client.hpp"
#include "collector/twitch/settings.hpp"
#include "collector/twitch/token_source.hpp"
#include "common/http/client.hpp"

namespace streamscope::twitch {

class connection {
public:
    // Throws std::runtime_error when settings.ca_file cannot be read. `settings` must outlive
    // the connection.
    connection(boost::asio::any_io_executor executor, const twitch_settings& settings);
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    helix_client& helix() { return helix_; }
    const token_source& tokens() const { return tokens_; }
    const twitch_settings& settings() const { return settings_; }

    // Requests stop at once when `stopping` turns true (see helix_client::stop_when); cancel()
    // aborts those in flight. Both on the executor's thread.
    void stop_when(const bool& stopping) { helix_.stop_when(stopping); }
    void cancel();

private:
    const twitch_settings& settings_;
    boost::asio::ssl::context tls_;
    http::client auth_http_;
    http::client api_http_;
    time::backoff_policy retry_;
    token_source tokens_;
    helix_client helix_;
};

} // namespace streamscope::twitch

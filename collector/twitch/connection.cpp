#include "collector/twitch/connection.hpp"

namespace streamscope::twitch {

connection::connection(boost::asio::any_io_executor executor, const twitch_settings& settings)
    : settings_(settings), tls_(http::make_tls_context(settings.ca_file)),
      auth_http_(executor, tls_, settings.auth, settings.timeouts),
      api_http_(executor, tls_, settings.api, settings.timeouts),
      retry_{.max_retries = settings.max_retries},
      tokens_(auth_http_, settings.credentials, retry_), helix_(api_http_, tokens_, retry_) {}

void connection::cancel() {
    api_http_.cancel();
    auth_http_.cancel();
}

} // namespace streamscope::twitch

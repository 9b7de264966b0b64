#include "collector/platform/connection.hpp"

namespace streamscope::collector {

platform_connection::platform_connection(boost::asio::any_io_executor executor,
                                         const api_access& access, oauth_endpoint endpoint)
    : tls_(http::make_tls_context(access.ca_file)),
      auth_http_(executor, tls_, access.auth, access.timeouts),
      api_http_(executor, tls_, access.api, access.timeouts), retry_{.max_retries =
                                                                         access.max_retries},
      tokens_(auth_http_, access.credentials, retry_, std::move(endpoint)) {}

void platform_connection::cancel() {
    api_http_.cancel();
    auth_http_.cancel();
}

} // namespace streamscope::collector

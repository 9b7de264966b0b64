#pragma once
// Sends one webhook delivery over HTTP(S): the target's URL checked (address_filter.hpp), its
// name resolved once and the connection made only to an address that may be contacted, the
// certificate verified (system store, and the CA file of WEBHOOK_CA_FILE), one signed POST
// (webhook_request.hpp), the answer's status read. One connection per attempt, closed after
// it: a target gets at most one delivery of a subscription at a time anyway.

#include <chrono>
#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include "collector/webhooks/attempt_outcome.hpp"

namespace streamscope::webhooks {

struct http_delivery {
    std::string url;
    std::string secret;
    std::int64_t event_id = 0;
    std::string body;
    std::string content_type;
};

// The attempt's result; never throws but for cancellation (operation_aborted when the
// daemon stops). The whole attempt, resolving included, ends after `timeout`. A URL or address
// that may not be contacted is a permanent failure. `tls` must outlive the coroutine.
boost::asio::awaitable<attempt_result> post_webhook(http_delivery delivery,
                                                    boost::asio::ssl::context& tls,
                                                    std::chrono::milliseconds timeout,
                                                    bool allow_private);

} // namespace streamscope::webhooks

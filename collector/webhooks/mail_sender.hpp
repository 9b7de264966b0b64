#pragma once
// Sends one e-mail delivery (format email) through the SMTP relay of SMTP_URL, as an attempt
// like an HTTP one: 250 when the relay took it, a relay's 5xx (or a relay that cannot be used
// as configured) a permanent failure, the rest retried.

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/json/object.hpp>

#include "collector/webhooks/attempt_outcome.hpp"
#include "collector/webhooks/smtp_relay.hpp"

namespace streamscope::webhooks {

// The stored payload of an e-mail delivery: {"subject", "text"} (payloads.hpp's
// email_content as JSON).
std::string email_payload_json(const boost::json::object& event);

// Sends the payload to `to`. Never throws but for cancellation. `relay`, `from` and `tls` must
// outlive the coroutine.
boost::asio::awaitable<attempt_result> send_email_delivery(std::string to, std::string payload,
                                                           const smtp_relay& relay,
                                                           const std::string& from,
                                                           boost::asio::ssl::context& tls,
                                                           std::chrono::milliseconds timeout);

} // namespace streamscope::webhooks

#pragma once
// The HTTP request of one webhook delivery, signed as Standard Webhooks says: POST to the
// target with content-type, webhook-id (the same for every attempt at the same event, so that
// receivers can drop a duplicate), webhook-timestamp (Unix seconds of this attempt) and
// webhook-signature (signature.hpp). Pure.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/http/message.hpp"
#include "common/webhooks/address_filter.hpp"

namespace streamscope::webhooks {

// "evt_<event id>": a delivery's webhook-id.
std::string message_id(std::int64_t event_id);

// The request for `body` to `target`, signed with `secret` at `unix_seconds`. Throws
// std::invalid_argument when `secret` is not one (signature.hpp).
http::request signed_request(const target_url& target, std::string_view secret,
                             std::int64_t event_id, std::int64_t unix_seconds, std::string body,
                             std::string_view content_type);

} // namespace streamscope::webhooks

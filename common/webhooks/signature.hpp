#pragma once
// Standard Webhooks signatures (www.standardwebhooks.com, the symmetric scheme): every delivery
// carries webhook-id, webhook-timestamp and webhook-signature = "v1," + base64 of HMAC-SHA256
// over "id.timestamp.body" under the subscription's secret, so that a receiver's stock library
// (or twenty lines of its own) can tell our deliveries from forgeries and replays. `verify` is
// the receiver's side, for the tests and for whoever checks what we send.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamscope::webhooks {

// A new subscription secret: "whsec_" and the base64 of `random_bytes` bytes from OpenSSL's
// generator. Throws std::invalid_argument unless 24 <= random_bytes <= 64 (the convention's
// bounds), std::runtime_error when OpenSSL cannot give random bytes.
std::string make_secret(std::size_t random_bytes = 32);

// The HMAC key a secret stands for: its base64 decoded, after the "whsec_" prefix (optional,
// as the reference libraries have it). nullopt when that is not base64 or decodes to nothing.
std::optional<std::string> secret_key(std::string_view secret);

// The webhook-signature value of one delivery: "v1," and the base64 of HMAC-SHA256 with the
// secret's key over msg_id + "." + unix_seconds (decimal) + "." + body. Throws
// std::invalid_argument when `secret` is not one (secret_key gives nullopt).
std::string sign(std::string_view secret, std::string_view msg_id, std::int64_t unix_seconds,
                 std::string_view body);

// The three header values of a delivery, as received.
struct signed_headers {
    std::string_view id;         // webhook-id
    std::string_view timestamp;  // webhook-timestamp: Unix seconds, digits only
    std::string_view signatures; // webhook-signature: "v1,<base64>" entries, space-separated
};

enum class verdict {
    valid,
    missing_header,        // a header is empty
    malformed_timestamp,   // not a plain decimal number of seconds
    too_old,               // more than the tolerance before now: a replay, or a stale retry
    too_new,               // more than the tolerance after now
    no_matching_signature, // no "v1," entry matches (other versions are passed over)
    malformed_secret,      // the receiver's secret is not one
};

// "valid", "too_old", ... for messages and logs.
std::string_view to_string(verdict v);

// Whether `body` with `headers` was signed with `secret` no more than `tolerance` away from
// `now` (either way; exactly `tolerance` away still passes). Signatures are compared in
// constant time.
verdict verify(std::string_view secret, const signed_headers& headers, std::string_view body,
               std::chrono::system_clock::time_point now,
               std::chrono::seconds tolerance = std::chrono::minutes(5));

} // namespace streamscope::webhooks

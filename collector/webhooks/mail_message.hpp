#pragma once
// One e-mail notification as RFC 5322 text: From, To, Subject, Date and Message-ID headers,
// and a text/plain UTF-8 body in quoted-printable, every line ending in CRLF. Headers are
// built so that nothing in a subject can add one (no CR or LF survives; text that is not
// ASCII goes into RFC 2047 encoded-words), and the body needs no 8BITMIME from the relay.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/webhooks/subscription.hpp"

namespace streamscope::webhooks {

struct mail {
    std::string from;            // an address: "alerts@example.com"
    std::vector<std::string> to; // at least one address
    std::string subject;         // UTF-8; control characters become spaces
    std::string text;            // UTF-8, lines ending in "\n" (or "\r\n")
};

// A Message-ID value, "<32 random hex digits@domain of from>". Throws std::runtime_error when
// OpenSSL cannot give random bytes.
std::string make_message_id(std::string_view from);

// The message of `m`, dated `date` (as "Mon, 07 Dec 2026 23:00:00 +0000") with `message_id`,
// every line ending in CRLF and none longer than 78 characters but a To line's (an address
// cannot be folded; up to 256). Not dot-stuffed: that is the SMTP client's. Throws
// std::invalid_argument naming the address when `from` or one of `to` is not an address, or
// `to` is empty.
std::string compose_message(const mail& m, std::chrono::system_clock::time_point date,
                            std::string_view message_id);

} // namespace streamscope::webhooks

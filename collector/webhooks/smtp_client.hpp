#pragma once
// Sending one e-mail notification through the SMTP relay of SMTP_URL: connect (TLS from the
// start for smtps://), EHLO, STARTTLS and EHLO again (smtp://, unless the URL turned it off),
// AUTH PLAIN or LOGIN when the URL has credentials, MAIL FROM, RCPT TO for each recipient,
// DATA (the message dot-stuffed, CRLF line endings, with Date and Message-ID), QUIT. Every step
// has a deadline. A failure says which step, and the relay's reply code and text, never the
// password; and whether it was temporary (4xx, no answer, a dropped connection: try again
// later) or permanent (5xx, a relay without STARTTLS, an untrusted certificate: give up), so
// that the delivery worker knows which to do.

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include "collector/webhooks/mail_message.hpp"
#include "collector/webhooks/smtp_relay.hpp"

namespace streamscope::webhooks {

class smtp_error : public std::runtime_error {
public:
    // `message` is the whole what(): "<relay>, <step>: <reply code and text, or the failure>".
    smtp_error(bool permanent, std::string step, int code, const std::string& message)
        : std::runtime_error(message), permanent_(permanent), step_(std::move(step)), code_(code) {}

    // A 5xx reply, or a relay that cannot be used as configured: sending again cannot help.
    bool permanent() const { return permanent_; }
    // "connect", "greeting", "EHLO", "STARTTLS", "TLS handshake", "AUTH PLAIN", "AUTH LOGIN",
    // "MAIL FROM", "RCPT TO <address>", "DATA", "message", "end of data".
    const std::string& step() const { return step_; }
    // The relay's reply code; 0 when the failure was not a reply (a timeout, a reset).
    int code() const { return code_; }

private:
    bool permanent_;
    std::string step_;
    int code_;
};

struct smtp_timeouts {
    std::chrono::milliseconds connect{10'000}; // resolving, TCP, and the TLS handshake
    std::chrono::milliseconds reply{30'000};   // each command's reply, the greeting's too
    std::chrono::milliseconds data{60'000};    // sending the message and its 250
};

// Sends `message` through `relay`, verifying its certificate with `tls` (a client context:
// http::make_tls_context, with the CA file of a test relay). Returns when the relay accepted
// the message for every recipient (a recipient refused fails the whole message: nothing is
// sent). Throws smtp_error for every failure, a message not worth sending (an address that is
// not one) included. `relay`, `tls` and `message` must outlive the coroutine.
boost::asio::awaitable<void> send_mail(const smtp_relay& relay, boost::asio::ssl::context& tls,
                                       const mail& message, smtp_timeouts limits = {});

} // namespace streamscope::webhooks

#pragma once
// The parts of SMTP (RFC 5321) that need no socket: replies read line by line (one line, or
// several with the same code), what the relay offers after EHLO, AUTH PLAIN's response, the
// DATA payload with its dot-stuffing, and the name a client gives in EHLO. The SMTP client
// speaks them; the unit tests check them alone.

#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace streamscope::webhooks {

struct smtp_reply {
    int code = 0;                   // 220, 250, 354, 451, 550, ...
    std::vector<std::string> lines; // each line's text, after the code and its separator

    // The lines joined by " " and cut to 300 characters, on one line: for error messages.
    std::string text() const;
};

// Gathers the lines of one reply: "250-first", "250-second", "250 last" (a bare "250" ends
// one too).
class reply_reader {
public:
    enum class state { more, complete, malformed };

    // One line without its CRLF. Malformed: no three-digit code of 2xx-5xx, another code than
    // the reply's first line, or a separator other than ' ' or '-'.
    state add(std::string_view line);

    // The reply that add() completed; the reader starts over.
    smtp_reply take();

private:
    smtp_reply reply_;
};

// What an EHLO reply says the relay offers, of what the client uses.
struct ehlo_offer {
    bool starttls = false;
    bool auth_plain = false;
    bool auth_login = false;
};
ehlo_offer read_ehlo(const smtp_reply& reply);

// AUTH PLAIN's initial response (RFC 4616): the base64 of "\0" user "\0" password.
std::string auth_plain_response(std::string_view user, std::string_view password);

// `message` as DATA sends it: every line ending in CRLF (a last line without a break gets
// one), each line that starts with '.' with another '.' before it (RFC 5321 4.5.2), and the
// ".\r\n" that ends the data.
std::string data_payload(std::string_view message);

// EHLO's argument for a client whose address on the connection is `local`: the address
// literal "[192.0.2.1]" or "[IPv6:2001:db8::1]" (RFC 5321 4.1.3), which needs no host name.
std::string ehlo_name(const boost::asio::ip::address& local);

} // namespace streamscope::webhooks

#pragma once
// The SMTP relay that e-mail notifications go through, as SMTP_URL names it:
//
//   smtp://[user:password@]host[:port]    submission with STARTTLS, required (port 587)
//   smtps://[user:password@]host[:port]   TLS from the first byte (port 465)
//
// Credentials and mail never travel in the clear: a relay that does not offer STARTTLS is
// refused, unless the URL ends in ?starttls=off (a test relay on loopback, or one on a network
// that is trusted). The user name and password are percent-decoded (an '@' in a password is
// %40).

#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "common/config/database_url.hpp"
#include "common/config/secret.hpp"

namespace streamscope::webhooks {

struct smtp_relay {
    enum class security {
        starttls,     // smtp://: plain TCP, upgraded by STARTTLS before anything else is sent
        implicit_tls, // smtps://
        none,         // smtp://...?starttls=off
    };
    security tls = security::starttls;
    std::string host; // a name, or an IP literal without brackets
    std::string port; // "587" or "465" when the URL names none
    std::string user; // "" when the relay takes mail without AUTH
    config::secret password;

    // The relay of `url`, or a one-line message that names SMTP_URL, says what is wrong and
    // never holds the password.
    static boost::system::result<smtp_relay, config::invalid_setting> parse(std::string_view url);

    // "smtp://relay.example.com:587", without credentials: for messages and logs.
    std::string to_string() const;
};

} // namespace streamscope::webhooks

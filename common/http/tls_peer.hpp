#pragma once
// Who a TLS client expects at the other end: the host name (or IP address) it was told to
// reach, checked by OpenSSL against the certificate during the handshake, and sent as SNI.
// Shared by the HTTPS client and the collector's SMTP client, which connect the same way.

#include <optional>
#include <string>

#include <openssl/ssl.h>

namespace streamscope::http {

// Before the handshake on `ssl`: SNI for a host name (not for an IP literal), and the
// certificate's names (or IP addresses, for an IP literal) checked against `host`, so that a
// mismatch fails the handshake with a verify result that says why. Throws
// boost::system::system_error or std::runtime_error when OpenSSL refuses either setting.
void expect_peer(SSL* ssl, const std::string& host);

// After a handshake that failed: why the certificate was refused ("self-signed certificate",
// "hostname mismatch", ...), or nullopt when verification was not what failed.
std::optional<std::string> certificate_refusal(const SSL* ssl);

} // namespace streamscope::http

#pragma once
// TLS for a server's own port (API_TLS_CERT/API_TLS_KEY), for those who publish it without a
// reverse proxy in front.

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace streamscope::http {

// A server context from a PEM certificate chain (the server's certificate first, then the
// intermediates) and its PEM private key: TLS 1.2 and 1.3 only. Throws std::runtime_error
// naming the file and what is wrong with it (missing, not PEM, key and certificate not a pair).
std::shared_ptr<boost::asio::ssl::context> make_server_tls_context(const std::string& cert_file,
                                                                   const std::string& key_file);

} // namespace streamscope::http

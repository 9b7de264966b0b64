#include "common/http/server_tls.hpp"

#include <stdexcept>

#include <boost/asio/ssl/error.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace streamscope::http {

namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> make_server_tls_context(const std::string& cert_file,
                                                      const std::string& key_file) {
    auto tls = std::make_shared<ssl::context>(ssl::context::tls_server);
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                     ssl::context::single_dh_use | ssl::context::no_compression);
    boost::system::error_code ec;
    tls->use_certificate_chain_file(cert_file, ec);
    if (ec) {
        throw std::runtime_error("cannot load the TLS certificate " + cert_file + ": " +
                                 ec.message() + " (a PEM chain, the server's certificate first)");
    }
    tls->use_private_key_file(key_file, ssl::context::pem, ec);
    const bool mismatch =
        ec && ec.category() == boost::asio::error::get_ssl_category() &&
        ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH;
    if (ec && !mismatch) {
        throw std::runtime_error("cannot load the TLS private key " + key_file + ": " +
                                 ec.message() + " (an unencrypted PEM key)");
    }
    if (mismatch || SSL_CTX_check_private_key(tls->native_handle()) != 1) {
        throw std::runtime_error("the TLS private key " + key_file +
                                 " does not belong to the certificate " + cert_file);
    }
    return tls;
}

} // namespace streamscope::http

#include "common/http/tls_peer.hpp"

#include <stdexcept>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/system/system_error.hpp>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>

namespace streamscope::http {
namespace {

bool is_ip_literal(const std::string& host) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);
    return !ec;
}

} // namespace

void expect_peer(SSL* ssl, const std::string& host) {
    const bool literal = is_ip_literal(host);
    if (!literal && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) {
        throw boost::system::system_error(
            boost::system::error_code(static_cast<int>(::ERR_get_error()),
                                      boost::asio::error::get_ssl_category()),
            "setting the TLS server name");
    }
    X509_VERIFY_PARAM* check = SSL_get0_param(ssl);
    const int named = literal ? X509_VERIFY_PARAM_set1_ip_asc(check, host.c_str())
                              : X509_VERIFY_PARAM_set1_host(check, host.c_str(), 0);
    if (named != 1) {
        throw std::runtime_error("cannot set the TLS host name check for " + host);
    }
}

std::optional<std::string> certificate_refusal(const SSL* ssl) {
    const long verdict = SSL_get_verify_result(ssl);
    if (verdict == X509_V_OK) {
        return std::nullopt;
    }
    return std::string(X509_verify_cert_error_string(verdict));
}

} // namespace streamscope::http

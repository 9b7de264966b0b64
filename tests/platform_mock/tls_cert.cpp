#include "tests/platform_mock/tls_cert.hpp"

#include <memory>
#include <stdexcept>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace streamscope::platform_mock {
namespace {

template <auto free_fn>
struct openssl_free {
    template <typename T>
    void operator()(T* p) const {
        free_fn(p);
    }
};
using bio_ptr = std::unique_ptr<BIO, openssl_free<BIO_free_all>>;
using bignum_ptr = std::unique_ptr<BIGNUM, openssl_free<BN_free>>;
using extension_ptr = std::unique_ptr<X509_EXTENSION, openssl_free<X509_EXTENSION_free>>;
using key_ptr = std::unique_ptr<EVP_PKEY, openssl_free<EVP_PKEY_free>>;
using key_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, openssl_free<EVP_PKEY_CTX_free>>;
using x509_ptr = std::unique_ptr<X509, openssl_free<X509_free>>;

[[noreturn]] void fail(std::string_view step) {
    char reason[256] = "unknown error";
    if (const unsigned long code = ERR_get_error(); code != 0) {
        ERR_error_string_n(code, reason, sizeof reason);
    }
    ERR_clear_error();
    throw std::runtime_error("self-signed certificate: " + std::string(step) + ": " + reason);
}

void check(int ok, std::string_view step) {
    if (ok <= 0) {
        fail(step);
    }
}

key_ptr make_p256_key() {
    key_ctx_ptr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr));
    if (!ctx) {
        fail("EVP_PKEY_CTX_new_id");
    }
    check(EVP_PKEY_keygen_init(ctx.get()), "EVP_PKEY_keygen_init");
    check(EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx.get(), NID_X9_62_prime256v1), "P-256");
    EVP_PKEY* key = nullptr;
    check(EVP_PKEY_keygen(ctx.get(), &key), "EVP_PKEY_keygen");
    return key_ptr(key);
}

void add_extension(X509* cert, X509V3_CTX& ctx, int nid, const char* value) {
    extension_ptr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!ext) {
        fail(value);
    }
    check(X509_add_ext(cert, ext.get(), -1), "X509_add_ext");
}

std::string drain(BIO* bio) {
    std::string out(BIO_ctrl_pending(bio), '\0');
    if (!out.empty()) {
        check(BIO_read(bio, out.data(), static_cast<int>(out.size())), "BIO_read");
    }
    return out;
}

} // namespace

pem_identity make_self_signed_identity() {
    const key_ptr key = make_p256_key();
    const x509_ptr cert(X509_new());
    if (!cert) {
        fail("X509_new");
    }
    check(X509_set_version(cert.get(), X509_VERSION_3), "X509_set_version");

    // A random positive 63-bit serial: two runs must not issue the same serial for different
    // keys, or clients that cached the first certificate reject the second.
    const bignum_ptr serial(BN_new());
    check(serial ? BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) : 0, "BN_rand");
    if (BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
        fail("BN_to_ASN1_INTEGER");
    }
    // From a day ago, so that a client whose clock lags a little still accepts it.
    if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24L * 3600) == nullptr ||
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600) == nullptr) {
        fail("X509_gmtime_adj");
    }
    check(X509_set_pubkey(cert.get(), key.get()), "X509_set_pubkey");
    X509_NAME* name = X509_get_subject_name(cert.get());
    check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>("streamscope-mock"), -1,
                                     -1, 0),
          "X509_NAME_add_entry_by_txt");
    check(X509_set_issuer_name(cert.get(), name), "X509_set_issuer_name");

    // CA:TRUE with keyCertSign makes it a trust anchor for `--cacert`/CAfile; digitalSignature
    // and serverAuth make the same certificate acceptable as the server's own.
    X509V3_CTX ctx{};
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    add_extension(cert.get(), ctx, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), ctx, NID_key_usage, "critical,digitalSignature,keyCertSign");
    add_extension(cert.get(), ctx, NID_ext_key_usage, "serverAuth");
    add_extension(cert.get(), ctx, NID_subject_key_identifier, "hash");
    add_extension(cert.get(), ctx, NID_authority_key_identifier, "keyid:always");
    add_extension(cert.get(), ctx, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    check(X509_sign(cert.get(), key.get(), EVP_sha256()), "X509_sign");

    pem_identity out;
    const bio_ptr cert_bio(BIO_new(BIO_s_mem()));
    const bio_ptr key_bio(BIO_new(BIO_s_mem()));
    if (!cert_bio || !key_bio) {
        fail("BIO_new");
    }
    check(PEM_write_bio_X509(cert_bio.get(), cert.get()), "PEM_write_bio_X509");
    check(PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr),
          "PEM_write_bio_PrivateKey");
    out.certificate = drain(cert_bio.get());
    out.private_key = drain(key_bio.get());
    return out;
}

} // namespace streamscope::platform_mock

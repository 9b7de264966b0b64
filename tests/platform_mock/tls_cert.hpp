#pragma once
// The mock's TLS identity when none is given: a self-signed certificate made at start-up.

#include <string>

namespace streamscope::platform_mock {

struct pem_identity {
    std::string certificate; // PEM
    std::string private_key; // PEM (PKCS#8)
};

// An EC P-256 key and a self-signed certificate for CN=streamscope-mock, valid from a day
// ago to 30 days ahead, with basicConstraints CA:TRUE (so that clients can use it as their CA
// file) and subjectAltName IP:127.0.0.1, DNS:localhost. Throws std::runtime_error with
// OpenSSL's reason when OpenSSL fails.
pem_identity make_self_signed_identity();

} // namespace streamscope::platform_mock

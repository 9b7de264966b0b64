#include "common/webhooks/signature.hpp"

#include <array>
#include <charconv>
#include <stdexcept>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "common/text/base64.hpp"

namespace streamscope::webhooks {
namespace {

constexpr std::string_view secret_prefix = "whsec_";
constexpr std::string_view signature_version = "v1,";
constexpr std::size_t fewest_secret_bytes = 24;
constexpr std::size_t most_secret_bytes = 64;

std::string hmac_sha256(std::string_view key, std::string_view message) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
             &size) == nullptr) {
        throw std::runtime_error("OpenSSL could not compute HMAC-SHA256");
    }
    return std::string(reinterpret_cast<const char*>(digest.data()), size);
}

// The base64 signature (without "v1,") of one delivery.
std::string signature_of(std::string_view key, std::string_view msg_id,
                         std::string_view unix_seconds, std::string_view body) {
    std::string message;
    message.reserve(msg_id.size() + unix_seconds.size() + body.size() + 2);
    message.append(msg_id).append(".").append(unix_seconds).append(".").append(body);
    return text::base64::encode(hmac_sha256(key, message));
}

std::optional<std::int64_t> parse_seconds(std::string_view text) {
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    if (text.empty() || text.front() < '0' || text.front() > '9') {
        return std::nullopt; // no sign, no blanks
    }
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return value;
}

bool same_text(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace

std::string make_secret(std::size_t random_bytes) {
    if (random_bytes < fewest_secret_bytes || random_bytes > most_secret_bytes) {
        throw std::invalid_argument("a webhook secret has 24 to 64 random bytes");
    }
    std::vector<unsigned char> random(random_bytes);
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw std::runtime_error("OpenSSL could not give random bytes for a webhook secret");
    }
    return std::string(secret_prefix) +
           text::base64::encode(
               std::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
}

std::optional<std::string> secret_key(std::string_view secret) {
    if (secret.starts_with(secret_prefix)) {
        secret.remove_prefix(secret_prefix.size());
    }
    auto key = text::base64::decode(secret);
    if (!key || key->empty()) {
        return std::nullopt;
    }
    return key;
}

std::string sign(std::string_view secret, std::string_view msg_id, std::int64_t unix_seconds,
                 std::string_view body) {
    const auto key = secret_key(secret);
    if (!key) {
        throw std::invalid_argument("not a webhook secret (whsec_ and base64)");
    }
    return std::string(signature_version) +
           signature_of(*key, msg_id, std::to_string(unix_seconds), body);
}

std::string_view to_string(verdict v) {
    switch (v) {
    case verdict::valid:
        return "valid";
    case verdict::missing_header:
        return "missing_header";
    case verdict::malformed_timestamp:
        return "malformed_timestamp";
    case verdict::too_old:
        return "too_old";
    case verdict::too_new:
        return "too_new";
    case verdict::no_matching_signature:
        return "no_matching_signature";
    case verdict::malformed_secret:
        return "malformed_secret";
    }
    return "unknown";
}

verdict verify(std::string_view secret, const signed_headers& headers, std::string_view body,
               std::chrono::system_clock::time_point now, std::chrono::seconds tolerance) {
    const auto key = secret_key(secret);
    if (!key) {
        return verdict::malformed_secret;
    }
    if (headers.id.empty() || headers.timestamp.empty() || headers.signatures.empty()) {
        return verdict::missing_header;
    }
    const auto sent = parse_seconds(headers.timestamp);
    if (!sent) {
        return verdict::malformed_timestamp;
    }
    const auto now_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    if (*sent > now_seconds && *sent - now_seconds > tolerance.count()) {
        return verdict::too_new;
    }
    if (*sent < now_seconds && now_seconds - *sent > tolerance.count()) {
        return verdict::too_old;
    }
    // Over the number as sign() writes it, as the reference libraries do: "007" is 7.
    const std::string expected = signature_of(*key, headers.id, std::to_string(*sent), body);
    std::string_view rest = headers.signatures;
    while (!rest.empty()) {
        const auto space = rest.find(' ');
        const std::string_view entry = rest.substr(0, space);
        rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
        if (entry.starts_with(signature_version) &&
            same_text(entry.substr(signature_version.size()), expected)) {
            return verdict::valid;
        }
    }
    return verdict::no_matching_signature;
}

} // namespace streamscope::webhooks

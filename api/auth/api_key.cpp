#include "api/auth/api_key.hpp"

#include <array>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <boost/beast/core/string.hpp>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "common/text/base64.hpp"
#include "common/text/trim.hpp"

namespace streamscope::api {
namespace {

constexpr std::string_view key_marker = "ssk_";
constexpr std::size_t visible_chars = 8; // after the marker

constexpr std::array<std::pair<std::string_view, scope>, 4> scope_names{{
    {"read", scope::read},
    {"export", scope::export_data},
    {"webhooks", scope::webhooks},
    {"admin", scope::admin},
}};

// SHA-256, fetched once: with OpenSSL 3, EVP_sha256() makes every digest fetch the
// implementation again, which costs about as much as hashing a key (see OpenSSL's
// "Performance" notes in crypto(7)). Checked on every request with a key.
const EVP_MD* sha256() {
    static EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
}

} // namespace

std::optional<scope> parse_scope(std::string_view text) {
    for (const auto& [name, value] : scope_names) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

std::string_view to_string(scope s) {
    for (const auto& [name, value] : scope_names) {
        if (value == s) {
            return name;
        }
    }
    return "read";
}

bool allows(scope held, scope needed) {
    if (held == scope::admin || held == needed) {
        return true;
    }
    return needed == scope::read;
}

new_key make_key() {
    std::array<unsigned char, 32> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw std::runtime_error("OpenSSL could not give 32 random bytes for a key");
    }
    new_key out;
    out.key = std::string(key_marker) +
              text::base64::encode_url(
                  std::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
    out.prefix = key_prefix(out.key);
    out.hash = key_hash(out.key);
    return out;
}

std::string key_hash(std::string_view key) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    unsigned int size = 0;
    if (EVP_Digest(key.data(), key.size(), digest.data(), &size, sha256(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL could not compute SHA-256");
    }
    return std::string(reinterpret_cast<const char*>(digest.data()), size);
}

std::string key_prefix(std::string_view key) {
    return std::string(key.substr(0, key_marker.size() + visible_chars));
}

std::optional<std::string> key_of(const http::request& req) {
    using boost::beast::http::field;
    if (const auto it = req.find(field::authorization); it != req.end()) {
        const std::string_view value = text::trim_blanks(it->value());
        constexpr std::string_view bearer = "Bearer ";
        if (boost::beast::iequals(value.substr(0, bearer.size()), bearer)) {
            return std::string(text::trim_blanks(value.substr(bearer.size())));
        }
        return std::string(); // another scheme: no key we know
    }
    if (const auto it = req.find("X-API-Key"); it != req.end()) {
        return std::string(text::trim_blanks(it->value()));
    }
    return std::nullopt;
}

} // namespace streamscope::api

#pragma once
// API keys as text: making one, the hash that identifies it, where a request carries it, and
// what each scope may do. Pure functions; the table is in sql/migrations/0014_api_keys.sql.

#include <optional>
#include <string>
#include <string_view>

#include "common/http/message.hpp"

namespace streamscope::api {

// Every scope may read; export and webhooks each add their own routes (a key for a webhook
// receiver has no business downloading the database); admin may do everything.
enum class scope { read, export_data, webhooks, admin };

std::optional<scope> parse_scope(std::string_view text); // "read", "export", ...
std::string_view to_string(scope s);
// Whether a key of scope `held` may call a route that needs `needed`.
bool allows(scope held, scope needed);

struct new_key {
    std::string key;    // shown once, never stored
    std::string prefix; // stored and shown: "ssk_" and the key's first 8 characters after it
    std::string hash;   // stored: SHA-256 of the key, 32 bytes
};

// A fresh key: "ssk_" and 43 characters of base64url (256 random bits, from OpenSSL).
// Throws std::runtime_error when the system cannot give random bytes.
new_key make_key();

// SHA-256 of `key`, 32 bytes.
std::string key_hash(std::string_view key);

// The visible part of `key` ("ssk_" and 8 characters), for logs: never more of it.
std::string key_prefix(std::string_view key);

// The key a request carries: `Authorization: Bearer KEY`, or else `X-API-Key: KEY`. nullopt
// when it carries none; an empty string when a header is there but holds no key.
std::optional<std::string> key_of(const http::request& req);

} // namespace streamscope::api

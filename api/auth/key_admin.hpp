#pragma once
// Creating, listing and revoking API keys: the statements that `streamscope-api keys` and
// /admin/keys share.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <pqxx/transaction_base>

#include "api/auth/api_key.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::api {

inline constexpr std::int64_t max_export_rows_per_day = 1'000'000'000'000;

struct key_request {
    std::string name;
    scope allowed = scope::read;
    std::optional<time::timestamp> expires_at;
    unsigned requests_per_minute = 0;     // 0: the server's default (API_KEY_RATE)
    std::int64_t export_rows_per_day = 0; // 0: the server's default (API_EXPORT_ROWS_PER_DAY)
};

// Lets `tx` write although the API's sessions are read-only by default (see main.cpp); its
// first statement.
void allow_writes(pqxx::transaction_base& tx);

// "2027-01-01" (the start of that day, UTC) or an RFC 3339 time; nullopt when it is neither.
std::optional<time::timestamp> parse_expiry(std::string_view text);

// Checks `request` (a name of 1 to 200 characters, an expiry in the future, a rate of at most
// 1,000,000 a minute, an export quota of at most 10^12 rows a day); the problem as "field: what
// is wrong", or nullopt.
std::optional<std::string> key_request_problem(const key_request& request, time::timestamp now);

// Stores a new key and returns it as shown once: its listing (below) and `key`. `tx` must be
// able to write.
boost::json::object create_key(pqxx::transaction_base& tx, const key_request& request);

// Every key, newest first, as {id, prefix, name, scope, requests_per_minute and
// export_rows_per_day (null: the server's default), created_at, expires_at, revoked_at, state
// ("valid", "expired" or "revoked"), requests, bytes_exported, rows_exported,
// rows_exported_today (UTC, as recorded so far), last_used_at}.
boost::json::array list_keys(pqxx::transaction_base& tx);

// Revokes the key with this id or prefix ("ssk_" and 8 characters): its listing after, or
// nullopt when no key matches. Revoking a revoked key changes nothing.
std::optional<boost::json::object> revoke_key(pqxx::transaction_base& tx,
                                              std::string_view id_or_prefix);

} // namespace streamscope::api

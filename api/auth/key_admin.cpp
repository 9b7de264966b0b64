#include "api/auth/key_admin.hpp"

#include <charconv>

#include <pqxx/pqxx>

namespace streamscope::api {
namespace {

// The columns every answer shows of a key, in the order key_json reads them.
constexpr std::string_view key_columns = R"(
       id, prefix, name, scope,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       CASE WHEN revoked_at IS NOT NULL THEN 'revoked'
            WHEN expires_at <= now() THEN 'expired'
            ELSE 'valid' END,
       requests, bytes_exported,
       to_char(last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       requests_per_minute, export_rows_per_day, rows_exported,
       CASE WHEN export_day = (now() AT TIME ZONE 'UTC')::date THEN export_day_rows ELSE 0 END)";

const std::string create_key_sql = R"(
INSERT INTO api_keys (prefix, key_hash, name, scope, expires_at, requests_per_minute,
                      export_rows_per_day)
VALUES ($1, $2, $3, $4, NULLIF($5, '')::timestamptz, NULLIF($6, 0), NULLIF($7, 0))
RETURNING)" + std::string(key_columns);

const std::string list_keys_sql =
    "SELECT" + std::string(key_columns) + "\n  FROM api_keys\n ORDER BY id DESC";

// $1: the id as text, or the prefix.
const std::string revoke_key_sql = R"(
UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())
 WHERE prefix = $1 OR id::text = $1
RETURNING)" + std::string(key_columns);

boost::json::value text_or_null(const pqxx::field& f) {
    if (f.is_null()) {
        return nullptr;
    }
    return boost::json::string(f.c_str());
}

boost::json::object key_json(const pqxx::row& row) {
    boost::json::object out;
    out["id"] = row[0].as<std::int64_t>();
    out["prefix"] = row[1].c_str();
    out["name"] = row[2].c_str();
    out["scope"] = row[3].c_str();
    out["created_at"] = text_or_null(row[4]);
    out["expires_at"] = text_or_null(row[5]);
    out["revoked_at"] = text_or_null(row[6]);
    out["state"] = row[7].c_str();
    out["requests"] = row[8].as<std::int64_t>();
    out["bytes_exported"] = row[9].as<std::int64_t>();
    out["last_used_at"] = text_or_null(row[10]);
    out["requests_per_minute"] =
        row[11].is_null() ? boost::json::value(nullptr) : boost::json::value(row[11].as<int>());
    out["export_rows_per_day"] = row[12].is_null() ? boost::json::value(nullptr)
                                                   : boost::json::value(row[12].as<std::int64_t>());
    out["rows_exported"] = row[13].as<std::int64_t>();
    out["rows_exported_today"] = row[14].as<std::int64_t>();
    return out;
}

} // namespace

void allow_writes(pqxx::transaction_base& tx) {
    tx.exec("SET TRANSACTION READ WRITE");
}

std::optional<time::timestamp> parse_expiry(std::string_view text) {
    if (text.size() == 10) {
        return time::parse_rfc3339(std::string(text) + "T00:00:00Z");
    }
    return time::parse_rfc3339(text);
}

std::optional<std::string> key_request_problem(const key_request& request, time::timestamp now) {
    if (request.name.empty() || request.name.size() > 200) {
        return "name: 1 to 200 characters that say whose key it is";
    }
    if (request.expires_at && *request.expires_at <= now) {
        return "expires: must be in the future";
    }
    if (request.requests_per_minute > 1'000'000) {
        return "rate: at most 1000000 requests a minute";
    }
    if (request.export_rows_per_day < 0 || request.export_rows_per_day > max_export_rows_per_day) {
        return "export_rows: from 1 to 1000000000000 rows a day";
    }
    return std::nullopt;
}

boost::json::object create_key(pqxx::transaction_base& tx, const key_request& request) {
    const new_key made = make_key();
    // Text, '' for none: a std::optional parameter trips a false GCC 12 warning.
    const std::string expires =
        request.expires_at ? time::format_rfc3339(*request.expires_at) : std::string();
    const pqxx::row row =
        tx.exec_params1(create_key_sql, made.prefix, pqxx::binarystring(made.hash), request.name,
                        std::string(to_string(request.allowed)), expires,
                        static_cast<int>(request.requests_per_minute), request.export_rows_per_day);
    boost::json::object out = key_json(row);
    out["key"] = made.key;
    return out;
}

boost::json::array list_keys(pqxx::transaction_base& tx) {
    boost::json::array out;
    for (const auto& row : tx.exec(list_keys_sql)) {
        out.push_back(key_json(row));
    }
    return out;
}

std::optional<boost::json::object> revoke_key(pqxx::transaction_base& tx,
                                              std::string_view id_or_prefix) {
    const pqxx::result rows = tx.exec_params(revoke_key_sql, std::string(id_or_prefix));
    if (rows.empty()) {
        return std::nullopt;
    }
    return key_json(rows[0]);
}

} // namespace streamscope::api

#pragma once
// The login role streamscope-api connects as: a member of the groups that
// sql/migrations/0015_api_roles.sql makes (streamscope_reader, streamscope_key_manager) and of
// nothing else, with a password of its own. Made by the role that migrates, which owns the
// schema, because only it may grant what the groups hold.

#include <stdexcept>
#include <string_view>

#include <pqxx/connection>

#include "common/config/database_url.hpp"
#include "common/config/secret.hpp"

namespace streamscope::db {

inline constexpr std::string_view api_login_role = "streamscope_api";

// The migrating role may not make the API's role (no CREATEROLE), or the role exists with
// powers an administrator must take away first. The message says what to run.
class role_refused : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class api_role_change { created, updated };

// Creates streamscope_api (LOGIN, member of both groups) with `password`, or sets the password
// and the memberships of the role that exists, in one transaction on `conn`, whose user must
// have CREATEROLE. The password reaches the server only as a SCRAM (or, where the server's
// password_encryption says so, MD5) verifier, computed by libpq on a connection of its own to
// `url` (conn's server): a failed statement is logged by the server with its text, and that
// text must not hold the password. Retries when another database of the cluster changes the
// role at the same moment. Throws role_refused (above), pqxx exceptions otherwise.
api_role_change ensure_api_role(pqxx::connection& conn, const config::database_url& url,
                                const config::secret& password);

} // namespace streamscope::db

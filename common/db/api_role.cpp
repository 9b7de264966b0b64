#include "common/db/api_role.hpp"

#include <chrono>
#include <libpq-fe.h>
#include <memory>
#include <string>
#include <thread>

#include <pqxx/pqxx>

namespace streamscope::db {
namespace {

constexpr std::string_view may_create_roles_sql =
    "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user";

// $1: the API's role. No row when it does not exist; true when it holds a power that only a
// superuser can take away.
constexpr std::string_view api_role_powers_sql =
    "SELECT rolsuper OR rolreplication OR rolbypassrls FROM pg_roles WHERE rolname = $1";

// CREATE ROLE and ALTER ROLE take no parameters: the verifier goes between these two texts as a
// quoted literal. The role's name is api_login_role's.
constexpr std::string_view create_role_sql = "CREATE ROLE streamscope_api LOGIN PASSWORD ";
constexpr std::string_view create_role_groups_sql =
    " IN ROLE streamscope_reader, streamscope_key_manager";
constexpr std::string_view alter_role_sql =
    "ALTER ROLE streamscope_api WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD ";
constexpr std::string_view grant_groups_sql =
    "GRANT streamscope_reader, streamscope_key_manager TO streamscope_api";
// GRANT of a membership the role has already says so in a NOTICE, which libpqxx prints.
constexpr std::string_view quiet_notices_sql = "SET LOCAL client_min_messages = warning";

constexpr int attempts = 5;

// Two CREATEs of one role meet in pg_authid's unique index; of two ALTERs of one role, the
// later fails with "tuple concurrently updated", an internal error without a code of its own.
bool is_concurrent_role_change(const pqxx::sql_error& e) {
    return e.sqlstate() == "23505" || e.sqlstate() == "42710" ||
           std::string_view(e.what()).find("concurrently updated") != std::string_view::npos;
}

// What the server stores for `password`, in the form its password_encryption names.
std::string password_verifier(const config::database_url& url, const config::secret& password) {
    const std::unique_ptr<PGconn, decltype(&PQfinish)> conn(
        PQconnectdb(
            url.conninfo({{"connect_timeout", "10"}, {"application_name", "streamscope-migrate"}})
                .c_str()),
        &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) {
        throw pqxx::broken_connection(PQerrorMessage(conn.get()));
    }
    char* verifier = PQencryptPasswordConn(conn.get(), password.reveal().c_str(),
                                           std::string(api_login_role).c_str(), nullptr);
    if (verifier == nullptr) {
        throw std::runtime_error(std::string("libpq cannot encrypt the password: ") +
                                 PQerrorMessage(conn.get()));
    }
    std::string out(verifier);
    PQfreemem(verifier);
    return out;
}

// `text` as a quoted SQL literal. Not tx.quote(), inside which GCC 12 warns falsely
// (-Wrestrict).
std::string sql_literal(pqxx::transaction_base& tx, const std::string& text) {
    std::string out(1, '\'');
    out += tx.esc(text);
    out += '\'';
    return out;
}

api_role_change apply(pqxx::connection& conn, const std::string& verifier) {
    pqxx::work tx(conn);
    tx.exec(std::string(quiet_notices_sql));
    if (!tx.exec1(std::string(may_create_roles_sql))[0].as<bool>()) {
        const std::string me = tx.exec1("SELECT current_user")[0].as<std::string>();
        throw role_refused(
            "the role " + me +
            " may not create or alter roles, so it cannot make the API's role: have an "
            "administrator run \"CREATE ROLE streamscope_api LOGIN PASSWORD '...' IN ROLE "
            "streamscope_reader, streamscope_key_manager;\" (or grant " +
            me + " CREATEROLE), then migrate without API_DATABASE_PASSWORD");
    }
    const pqxx::result powers =
        tx.exec_params(std::string(api_role_powers_sql), std::string(api_login_role));
    api_role_change change = api_role_change::created;
    if (powers.empty()) {
        tx.exec(std::string(create_role_sql) + sql_literal(tx, verifier) +
                std::string(create_role_groups_sql));
    } else {
        if (powers[0][0].as<bool>()) {
            throw role_refused("the role streamscope_api is a superuser or has REPLICATION or "
                               "BYPASSRLS, which the API must not have: have an administrator "
                               "run \"ALTER ROLE streamscope_api NOSUPERUSER NOREPLICATION "
                               "NOBYPASSRLS;\", then migrate again");
        }
        tx.exec(std::string(alter_role_sql) + sql_literal(tx, verifier));
        tx.exec(std::string(grant_groups_sql));
        change = api_role_change::updated;
    }
    tx.commit();
    return change;
}

} // namespace

api_role_change ensure_api_role(pqxx::connection& conn, const config::database_url& url,
                                const config::secret& password) {
    const std::string verifier = password_verifier(url, password);
    for (int attempt = 1;; ++attempt) {
        try {
            return apply(conn, verifier);
        } catch (const pqxx::sql_error& e) {
            if (attempt == attempts || !is_concurrent_role_change(e)) {
                throw;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
    }
}

} // namespace streamscope::db

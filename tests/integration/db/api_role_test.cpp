// The API's database role (sql/migrations/0015_api_roles.sql, common/db/api_role.cpp): what it
// may read and write, as the API itself connects, on a database migrated as a superuser (the
// Compose stack, these tests) and as an owner without CREATEROLE (a managed PostgreSQL).

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <pqxx/pqxx>

#include "common/db/api_role.hpp"
#include "common/db/connection.hpp"
#include "common/db/migrate.hpp"
#include "common/db/partitions.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/sweep_builder.hpp"

using namespace streamscope;

namespace {

// Every test that sets the API's role (this file, the e2e tests) gives it this password: the role
// belongs to the whole test server, and a test that reads it back must find it whichever set it
// last.
const config::secret test_password{"test-only-api-password"};

constexpr std::string_view insufficient_privilege = "42501";

// A connection to `db` as `user` (the test server trusts local connections: no password).
std::unique_ptr<pqxx::connection> connect_as(const testing::scratch_database& db,
                                             const std::string& user) {
    // libpq takes the last of two equal keywords: this user, not the URL's.
    return std::make_unique<pqxx::connection>(db.url().conninfo() + " user=" + user);
}

// The SQLSTATE `sql` fails with, or "" when it works. Rolled back either way.
std::string sqlstate_of(pqxx::connection& conn, const std::string& sql) {
    try {
        pqxx::work tx(conn);
        tx.exec(sql);
        return "";
    } catch (const pqxx::insufficient_privilege&) {
        return std::string(insufficient_privilege); // libpqxx 6.4 leaves its sqlstate() empty
    } catch (const pqxx::sql_error& e) {
        return e.sqlstate();
    }
}

std::vector<std::string> names(pqxx::connection& conn, const std::string& sql) {
    std::vector<std::string> out;
    for (const auto& row : pqxx::nontransaction(conn).exec(sql)) {
        out.push_back(row[0].as<std::string>());
    }
    return out;
}

// The base tables and partitions of the schema but api_keys, each with a column that an UPDATE
// may set (not an identity or generated one, which fail before the privileges are checked).
std::vector<std::pair<std::string, std::string>> data_tables(pqxx::connection& owner) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& row : pqxx::nontransaction(owner).exec(R"(
SELECT DISTINCT ON (c.oid::regclass::text) c.oid::regclass::text, a.attname
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
   AND c.relname NOT IN ('api_keys', 'webhooks', 'webhook_deliveries')
   AND a.attnum > 0 AND NOT a.attisdropped AND a.attidentity = '' AND a.attgenerated = ''
 ORDER BY 1, a.attnum)")) {
        out.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
    }
    return out;
}

std::vector<unsigned char> base64_decoded(const std::string& text) {
    std::vector<unsigned char> out(text.size());
    const int length =
        EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                        static_cast<int>(text.size()));
    const auto padding = static_cast<std::size_t>(std::count(text.begin(), text.end(), '='));
    out.resize(static_cast<std::size_t>(length) - padding);
    return out;
}

// Whether the stored `verifier` (SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey, RFC 5803)
// was made from `password`: StoredKey = SHA-256(HMAC(SaltedPassword, "Client Key")).
bool scram_verifier_matches(const std::string& verifier, const std::string& password) {
    const auto dollar = verifier.find('$');
    const auto colon = verifier.find(':', dollar);
    const auto second_dollar = verifier.find('$', colon);
    const auto second_colon = verifier.find(':', second_dollar);
    if (verifier.substr(0, dollar) != "SCRAM-SHA-256" || second_colon == std::string::npos) {
        return false;
    }
    const int iterations = std::stoi(verifier.substr(dollar + 1, colon - dollar - 1));
    const auto salt = base64_decoded(verifier.substr(colon + 1, second_dollar - colon - 1));
    const auto stored_key =
        base64_decoded(verifier.substr(second_dollar + 1, second_colon - second_dollar - 1));
    unsigned char salted[SHA256_DIGEST_LENGTH];
    PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                      static_cast<int>(salt.size()), iterations, EVP_sha256(), sizeof salted,
                      salted);
    unsigned char client_key[SHA256_DIGEST_LENGTH];
    unsigned int client_key_length = 0;
    const std::string label = "Client Key";
    HMAC(EVP_sha256(), salted, sizeof salted, reinterpret_cast<const unsigned char*>(label.data()),
         label.size(), client_key, &client_key_length);
    unsigned char expected[SHA256_DIGEST_LENGTH];
    SHA256(client_key, client_key_length, expected);
    return stored_key == std::vector<unsigned char>(expected, expected + sizeof expected);
}

// A plain login role that owns one database: a managed PostgreSQL's owner role. Dropped when
// the test ends, after its database (declare it first).
class scratch_owner {
public:
    scratch_owner()
        : name_("streamscope_test_owner_" + std::to_string(std::random_device{}() % 1000000)) {
        auto admin = db::connect(testing::test_database_url());
        pqxx::nontransaction(*admin).exec("CREATE ROLE " + name_ + " LOGIN");
    }
    ~scratch_owner() {
        try {
            auto admin = db::connect(testing::test_database_url());
            pqxx::nontransaction(*admin).exec("DROP ROLE IF EXISTS " + name_);
        } catch (const std::exception&) {
            // A stray role on a throwaway server.
        }
    }
    scratch_owner(const scratch_owner&) = delete;
    scratch_owner& operator=(const scratch_owner&) = delete;
    const std::string& name() const { return name_; }

private:
    std::string name_;
};

} // namespace

TEST_CASE("the API's role reads every table and view, a partition made after the migration too",
          "[db][roles]") {
    testing::scratch_database db;
    auto owner = db.connect();
    db::ensure_api_role(*owner, db.url(), test_password);
    // The collector's daily upkeep, and a table of a later migration, both after 0015.
    db::ensure_partitions(*owner, testing::at("2031-01-01T00:00:00Z"), 0);
    pqxx::nontransaction(*owner).exec("CREATE TABLE later_migration_table (id integer)");
    auto api = connect_as(db, std::string(db::api_login_role));

    for (const auto& relation :
         names(*owner, "SELECT oid::regclass::text FROM pg_class WHERE relkind IN ('r', 'p', "
                       "'v', 'm') AND relnamespace IN ('public'::regnamespace, "
                       "'compat'::regnamespace) ORDER BY 1")) {
        INFO(relation);
        CHECK(sqlstate_of(*api, "SELECT * FROM " + relation + " LIMIT 1").empty());
    }
    CHECK(sqlstate_of(*api, "SELECT count(*) FROM snapshots_p20310101").empty());
    CHECK(sqlstate_of(*api, "SELECT * FROM later_migration_table").empty());
    CHECK(sqlstate_of(*api, "SELECT stream_url('twitch', 'a', '1', '2')").empty());
    CHECK(sqlstate_of(*api, "SELECT * FROM schema_migrations").empty()); // /health reads it
}

TEST_CASE("the API's role writes no table but api_keys and webhook subscriptions, and never "
          "deletes a key",
          "[db][roles]") {
    testing::scratch_database db;
    auto owner = db.connect();
    db::ensure_api_role(*owner, db.url(), test_password);
    db::ensure_partitions(*owner, testing::at("2031-01-01T00:00:00Z"), 0);
    auto api = connect_as(db, std::string(db::api_login_role));

    const auto tables = data_tables(*owner);
    CHECK(std::find_if(tables.begin(), tables.end(), [](const auto& t) {
              return t.first == "snapshots_p20310101";
          }) != tables.end());
    for (const auto& [table, column] : tables) {
        INFO(table);
        CHECK(sqlstate_of(*api, "INSERT INTO " + table + " DEFAULT VALUES") ==
              insufficient_privilege);
        CHECK(sqlstate_of(*api, "UPDATE " + table + " SET " + column + " = " + column) ==
              insufficient_privilege);
        CHECK(sqlstate_of(*api, "DELETE FROM " + table) == insufficient_privilege);
        CHECK(sqlstate_of(*api, "TRUNCATE " + table) == insufficient_privilege);
    }
    CHECK(sqlstate_of(*api, "CREATE TABLE api_scratch (id integer)") == insufficient_privilege);
    CHECK(sqlstate_of(*api, "SELECT ensure_snapshot_partitions('2032-01-01', 1)") ==
          insufficient_privilege);

    // Keys: created (the identity's sequence included), revoked, their use counted.
    {
        pqxx::work tx(*api);
        tx.exec("INSERT INTO api_keys (prefix, key_hash, name, scope) "
                "VALUES ('ssk_roletest', sha256('k'), 'role test', 'read')");
        tx.exec("UPDATE api_keys SET requests = requests + 1, revoked_at = now()");
        tx.commit();
    }
    CHECK(
        pqxx::nontransaction(*owner)
            .exec(
                "SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL AND requests = 1")[0][0]
            .as<int>() == 1);
    CHECK(sqlstate_of(*api, "DELETE FROM api_keys") == insufficient_privilege);
    // Webhook subscriptions: made (the identity's sequence included), changed and deleted;
    // deliveries only replayed (UPDATE): the collector makes them.
    {
        pqxx::work tx(*api);
        tx.exec("INSERT INTO webhooks (key_id, url, format, event_types, secret, "
                "after_event_id) SELECT id, 'https://example.com', 'json', '{}', 'whsec_x', 0 "
                "FROM api_keys");
        tx.exec("UPDATE webhooks SET disabled_at = NULL");
        tx.exec("UPDATE webhook_deliveries SET state = 'pending'");
        tx.exec("DELETE FROM webhooks");
        tx.commit();
    }
    CHECK(sqlstate_of(*api, "INSERT INTO webhook_deliveries DEFAULT VALUES") ==
          insufficient_privilege);
    CHECK(sqlstate_of(*api, "DELETE FROM webhook_deliveries") == insufficient_privilege);
    // A client of streamscope_reader alone (a BI tool) reads the data, never the keys nor the
    // webhooks' secrets.
    CHECK(sqlstate_of(*api, "SET ROLE streamscope_reader; SELECT * FROM snapshots").empty());
    CHECK(sqlstate_of(*api, "SET ROLE streamscope_reader; SELECT * FROM api_keys") ==
          insufficient_privilege);
    CHECK(sqlstate_of(*api, "SET ROLE streamscope_reader; SELECT * FROM webhooks") ==
          insufficient_privilege);
}

TEST_CASE("the API's role logs in with its password and holds nothing but its two groups",
          "[db][roles]") {
    testing::scratch_database db;
    auto owner = db.connect();
    db::ensure_api_role(*owner, db.url(), test_password);
    CHECK(db::ensure_api_role(*owner, db.url(), test_password) == db::api_role_change::updated);

    const auto role = pqxx::nontransaction(*owner).exec_params1(
        "SELECT rolcanlogin, rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR "
        "rolbypassrls, rolpassword FROM pg_authid WHERE rolname = $1",
        std::string(db::api_login_role));
    CHECK(role[0].as<bool>());
    CHECK_FALSE(role[1].as<bool>());
    CHECK(scram_verifier_matches(role[2].as<std::string>(), test_password.reveal()));
    CHECK_FALSE(scram_verifier_matches(role[2].as<std::string>(), "another password"));
    CHECK(names(*owner, "SELECT roleid::regrole::text FROM pg_auth_members "
                        "WHERE member = 'streamscope_api'::regrole ORDER BY 1") ==
          std::vector<std::string>{"streamscope_key_manager", "streamscope_reader"});
}

TEST_CASE("an owner without CREATEROLE migrates once the groups exist, and is told how to make "
          "the API's role",
          "[db][roles]") {
    // Made by a superuser's migration: the groups and the API's role exist on this server.
    testing::scratch_database earlier;
    db::ensure_api_role(*earlier.connect(), earlier.url(), test_password);

    scratch_owner owner;
    testing::scratch_database db(false);
    pqxx::nontransaction(*earlier.connect())
        .exec("ALTER DATABASE " + db.name() + " OWNER TO " + owner.name());
    auto as_owner = connect_as(db, owner.name());
    db::migrate(*as_owner, db::embedded_migrations(), db::embedded_repeatables());
    try {
        db::ensure_api_role(*as_owner, db.url(), test_password);
        FAIL("ensure_api_role worked without CREATEROLE");
    } catch (const db::role_refused& e) {
        CHECK_THAT(e.what(), Catch::Contains("may not create or alter roles") &&
                                 Catch::Contains("CREATE ROLE streamscope_api LOGIN"));
    }

    // The grants of a plain owner hold as a superuser's do.
    auto api = connect_as(db, std::string(db::api_login_role));
    CHECK(sqlstate_of(*api, "SELECT * FROM snapshots, compat.live_snapshots LIMIT 1").empty());
    CHECK(sqlstate_of(*api, "INSERT INTO api_keys (prefix, key_hash, name, scope) "
                            "VALUES ('ssk_owner', sha256('o'), 'owner test', 'read')")
              .empty());
    CHECK(sqlstate_of(*api, "DELETE FROM streams") == insufficient_privilege);
}

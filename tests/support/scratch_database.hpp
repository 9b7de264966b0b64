#pragma once
// A fresh, empty database for one test, on the server named by TEST_DATABASE_URL; dropped
// when the test ends. Tests that need PostgreSQL fail (never pass) when the variable is unset.

#include <memory>
#include <string>

#include <pqxx/connection>

#include "common/config/database_url.hpp"

namespace streamscope::testing {

// The parsed TEST_DATABASE_URL; throws std::runtime_error when it is unset or invalid.
config::database_url test_database_url();

class scratch_database {
public:
    // Creates the database; with `migrated`, applies the embedded migrations to it.
    explicit scratch_database(bool migrated = true);
    ~scratch_database();
    scratch_database(const scratch_database&) = delete;
    scratch_database& operator=(const scratch_database&) = delete;

    const config::database_url& url() const { return url_; }
    const std::string& name() const { return name_; }
    std::unique_ptr<pqxx::connection> connect() const;

private:
    config::database_url admin_;
    config::database_url url_;
    std::string name_;
};

} // namespace streamscope::testing

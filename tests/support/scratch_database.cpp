#include "tests/support/scratch_database.hpp"

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <unistd.h>

#include <pqxx/nontransaction>

#include "common/db/connection.hpp"
#include "common/db/migrate.hpp"

namespace streamscope::testing {

config::database_url test_database_url() {
    const char* raw = std::getenv("TEST_DATABASE_URL");
    if (raw == nullptr || *raw == '\0') {
        throw std::runtime_error("TEST_DATABASE_URL is not set: run the tests through `make test` "
                                 "or scripts/pg.sh run, or point it at a PostgreSQL 15 server");
    }
    auto url = config::database_url::parse(raw);
    if (!url) {
        throw std::runtime_error("TEST_DATABASE_URL: " + url.error().message);
    }
    return *url;
}

scratch_database::scratch_database(bool migrated) : admin_(test_database_url()) {
    static std::atomic<int> counter{0};
    name_ = "streamscope_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) +
            "_" + std::to_string(std::random_device{}() % 100000);
    url_ = admin_.with_dbname(name_);
    auto admin = db::connect(admin_);
    pqxx::nontransaction(*admin).exec("CREATE DATABASE " + admin->quote_name(name_));
    if (migrated) {
        auto conn = connect();
        db::migrate(*conn, db::embedded_migrations(), db::embedded_repeatables());
    }
}

scratch_database::~scratch_database() {
    try {
        auto admin = db::connect(admin_);
        pqxx::nontransaction(*admin).exec("DROP DATABASE IF EXISTS " + admin->quote_name(name_) +
                                          " WITH (FORCE)");
    } catch (const std::exception&) {
        // Leaves a stray database on a throwaway server; nothing to do about it here.
    }
}

std::unique_ptr<pqxx::connection> scratch_database::connect() const {
    return db::connect(url_);
}

} // namespace streamscope::testing

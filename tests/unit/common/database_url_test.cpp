#include <catch2/catch.hpp>

#include "common/config/database_url.hpp"

using streamscope::config::database_url;

TEST_CASE("a libpq URI is accepted and printed without its password", "[unit][config]") {
    auto url =
        database_url::parse("postgresql://app:s3cr%40t@db.example:5433/streams?sslmode=require");
    REQUIRE(url.has_value());
    CHECK(url->redacted() == "postgresql://app@db.example:5433/streams");
    const std::string info = url->conninfo();
    CHECK(info.find("password='s3cr@t'") != std::string::npos);
    CHECK(info.find("sslmode='require'") != std::string::npos);
    CHECK(database_url::parse("postgres://localhost/x").has_value());
}

TEST_CASE("defaults fill only what the URI leaves unset, quoted for libpq", "[unit][config]") {
    auto url = database_url::parse("postgresql://u@h/d?connect_timeout=3");
    REQUIRE(url.has_value());
    const std::string info =
        url->conninfo({{"connect_timeout", "10"}, {"application_name", "it's \\ me"}});
    CHECK(info.find("connect_timeout='3'") != std::string::npos);
    CHECK(info.find("connect_timeout='10'") == std::string::npos);
    CHECK(info.find("application_name='it\\'s \\\\ me'") != std::string::npos);
}

TEST_CASE("another database on the same server", "[unit][config]") {
    auto url = database_url::parse("postgresql://u:pw@h:1/first");
    REQUIRE(url.has_value());
    const auto other = url->with_dbname("second");
    CHECK(other.redacted() == "postgresql://u@h:1/second");
    CHECK(other.conninfo().find("dbname='second'") != std::string::npos);
    CHECK(other.conninfo().find("dbname='first'") == std::string::npos);
}

TEST_CASE("missing or malformed URLs give one clear message without the password",
          "[unit][config]") {
    auto missing = database_url::parse("");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().message.starts_with("DATABASE_URL is not set"));

    auto keyword_form = database_url::parse("host=localhost dbname=x");
    REQUIRE_FALSE(keyword_form.has_value());
    CHECK(keyword_form.error().message.starts_with("DATABASE_URL must be a postgresql:// URI"));

    auto bad_port = database_url::parse("postgresql://u:hunter2@h:54x2/d");
    REQUIRE_FALSE(bad_port.has_value());
    CHECK(bad_port.error().message ==
          "DATABASE_URL has an invalid port '54x2': use a number from 1 to 65535");
    CHECK(database_url::parse("postgresql://u@h1:5432,h2:5433/d").has_value());
    CHECK_FALSE(database_url::parse("postgresql://u@h:70000/d").has_value());

    for (const char* bad : {"postgresql://u:hunter2@h/d?nosuchoption=1",
                            "postgresql://u:hunter2@[::1/d", "postgresql://u:hunter2@h/d?=x"}) {
        auto url = database_url::parse(bad);
        INFO(bad);
        REQUIRE_FALSE(url.has_value());
        CHECK(url.error().message.starts_with("DATABASE_URL is not a valid PostgreSQL URI"));
        CHECK(url.error().message.find("hunter2") == std::string::npos);
    }
}

#include <string>

#include <catch2/catch.hpp>

#include "common/db/migrate.hpp"
#include "common/log/log.hpp"

using namespace streamscope;

TEST_CASE("embedded migrations are numbered 1..n in order, named after their version",
          "[unit][db]") {
    const auto all = db::embedded_migrations();
    REQUIRE_FALSE(all.empty());
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].version == static_cast<int>(i) + 1);
        char prefix[8];
        std::snprintf(prefix, sizeof prefix, "%04d_", all[i].version);
        CHECK(std::string(all[i].name).starts_with(prefix));
        CHECK_FALSE(all[i].sql.empty());
    }
    CHECK(all[0].sql.find("CREATE TABLE snapshots") != std::string_view::npos);
}

TEST_CASE("versioned migrations define no function or view: each has a file of its own",
          "[unit][db]") {
    for (const auto& m : db::embedded_migrations()) {
        for (const std::string_view statement :
             {"CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", "ALTER FUNCTION", "CREATE VIEW",
              "CREATE OR REPLACE VIEW", "CREATE TRIGGER", "CREATE OR REPLACE TRIGGER"}) {
            INFO(m.name << ": " << statement);
            CHECK(m.sql.find(statement) == std::string_view::npos);
        }
    }
}

TEST_CASE("each function or view file creates or replaces the one object it is named after",
          "[unit][db]") {
    const auto count = [](std::string_view text, std::string_view what) {
        int n = 0;
        for (auto at = text.find(what); at != std::string_view::npos;
             at = text.find(what, at + 1)) {
            ++n;
        }
        return n;
    };
    REQUIRE_FALSE(db::embedded_repeatables().empty());
    for (const auto& r : db::embedded_repeatables()) {
        INFO(r.name);
        const std::string name(r.name);
        REQUIRE(name.ends_with(".sql"));
        if (name.starts_with("functions/")) {
            const std::string function = name.substr(10, name.size() - 14);
            CHECK(r.sql.find("CREATE OR REPLACE FUNCTION " + function + "(") !=
                  std::string_view::npos);
            CHECK(count(r.sql, "CREATE OR REPLACE FUNCTION ") == 1);
        } else {
            REQUIRE(name.starts_with("views/"));
            const std::string view = name.substr(6, name.size() - 10);
            CHECK(r.sql.find("CREATE OR REPLACE VIEW " + view + " AS") != std::string_view::npos);
            CHECK(count(r.sql, "CREATE OR REPLACE VIEW ") == 1);
        }
        CHECK(count(r.sql, "CREATE FUNCTION") + count(r.sql, "CREATE VIEW") == 0);
    }
}

TEST_CASE("a migration's earlier checksums are SHA-256 of texts other than its current one",
          "[unit][db]") {
    for (const auto& m : db::embedded_migrations()) {
        for (const auto earlier : m.earlier_checksums) {
            INFO(m.name << ": " << earlier);
            CHECK(earlier.size() == 64);
            CHECK(earlier.find_first_not_of("0123456789abcdef") == std::string_view::npos);
            CHECK(earlier != db::checksum(m.sql));
        }
    }
}

TEST_CASE("migration checksums are SHA-256", "[unit][db]") {
    CHECK(db::checksum("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("log settings", "[unit][log]") {
    CHECK(log::parse_format("json").value() == log::format::json);
    CHECK(log::parse_format("text").value() == log::format::text);
    CHECK_FALSE(log::parse_format("xml").has_value());
    CHECK(log::parse_level("debug").has_value());
    CHECK(log::parse_level("off").has_value());
    CHECK_FALSE(log::parse_level("loud").has_value());
    CHECK(log::parse_level("loud").error().message.find("LOG_LEVEL") != std::string::npos);
}

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

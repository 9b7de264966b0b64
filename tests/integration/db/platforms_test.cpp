#include <map>
#include <string>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "common/model/platform.hpp"
#include "tests/support/scratch_database.hpp"

using namespace streamscope;

// The code names platforms by model::platforms; the schema by the rows of `platforms` (the
// migrations insert them). The two must be one list.
TEST_CASE("the platforms table holds the model's platforms, by id and name", "[db][platforms]") {
    testing::scratch_database db;
    auto conn = db.connect();
    std::map<int, std::string> stored;
    for (const auto& row : pqxx::nontransaction(*conn).exec("SELECT id, name FROM platforms")) {
        stored.emplace(row[0].as<int>(), row[1].as<std::string>());
    }
    std::map<int, std::string> known;
    for (const model::platform_info& p : model::platforms) {
        known.emplace(static_cast<int>(p.id), std::string(p.name));
    }
    CHECK(stored == known);
}

TEST_CASE("platform names and ids parse back", "[db][platforms]") {
    for (const model::platform_info& p : model::platforms) {
        CHECK(model::parse_platform(p.name) == p.id);
        CHECK(model::platform_from_id(static_cast<int>(p.id)) == p.id);
        CHECK(model::to_string(p.id) == p.name);
    }
    CHECK_FALSE(model::parse_platform("Twitch"));
    CHECK_FALSE(model::platform_from_id(0));
    CHECK(model::platform_names() == "twitch, kick, youtube");
}

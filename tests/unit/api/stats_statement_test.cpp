#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>

#include "api/handlers/stats/statement.hpp"

using streamscope::api::stats::compose;

TEST_CASE("compose fills every hole of a statement with its clause", "[unit][api][stats]") {
    CHECK(compose("SELECT {a} FROM {table} WHERE {a} > 0", {{"a", "x"}, {"table", "t"}}) ==
          "SELECT x FROM t WHERE x > 0");
    CHECK(compose("SELECT 1", {}) == "SELECT 1");
    // An empty clause leaves nothing; a clause's own braces are not holes.
    CHECK(compose("SELECT 1 {more}FROM t", {{"more", ""}}) == "SELECT 1 FROM t");
    CHECK(compose("SELECT {a}", {{"a", "'{x}'"}}) == "SELECT '{x}'");
}

TEST_CASE("compose refuses a hole without a clause and a clause without a hole",
          "[unit][api][stats]") {
    CHECK_THROWS_AS(compose("SELECT {a}", {}), std::logic_error);
    CHECK_THROWS_AS(compose("SELECT {a}", {{"b", "x"}, {"a", "y"}}), std::logic_error);
    CHECK_THROWS_AS(compose("SELECT {a", {{"a", "x"}}), std::logic_error);
}

TEST_CASE("the shared clauses compose into the SQL they stand for", "[unit][api][stats]") {
    using namespace streamscope::api::stats;
    CHECK(compose(each_day, {{"from", "$1"},
                             {"to", "$2"},
                             {"select", "count(*) AS n"},
                             {"table", "rollup_channel_day_totals"},
                             {"where", "true"}})
              .find("r.day = $1::date + d.i AND true") != std::string::npos);
    const std::string covered =
        compose(covered_by_days, {{"name", "covered_prev"}, {"from", "$5"}, {"to", "$1"}});
    CHECK(covered.rfind("covered_prev AS (", 0) == 0);
    CHECK(covered.find("h.hour >= $5::date::timestamp AT TIME ZONE 'UTC'") != std::string::npos);
}

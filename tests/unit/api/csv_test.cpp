#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "api/format/csv.hpp"
#include "api/format/numbers.hpp"

using streamscope::api::csv_cell;
using streamscope::api::csv_from_items;

TEST_CASE("CSV cells follow RFC 4180", "[unit][api][csv]") {
    CHECK(csv_cell("plain") == "plain");
    CHECK(csv_cell("a,b") == "\"a,b\"");
    CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
    CHECK(csv_cell("crlf\r\n") == "\"crlf\r\n\"");
    CHECK(csv_cell("日本語 🎮 e\xCC\x81") == "日本語 🎮 e\xCC\x81"); // UTF-8 as it is
    CHECK(csv_cell("") == "");
}

TEST_CASE("cells a spreadsheet would run are neutralised", "[unit][api][csv]") {
    CHECK(csv_cell("=1+1") == "'=1+1");
    CHECK(csv_cell("+cmd") == "'+cmd");
    CHECK(csv_cell("-2") == "'-2");
    CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_cell("\tx") == "'\tx");
    CHECK(csv_cell("=HYPERLINK(\"x\",\"y\")") == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
    CHECK(csv_cell("a=b") == "a=b");
}

TEST_CASE("items become a header row and one row each", "[unit][api][csv]") {
    const auto items = boost::json::parse(R"([
        {"name": "a, b", "viewers": 10, "live": true, "tags": ["x", "y"], "game": null},
        {"name": "=bad", "viewers": 2, "live": false, "tags": [], "game": "g"}])")
                           .as_array();
    CHECK(csv_from_items(items) == "name,viewers,live,tags,game\r\n"
                                   "\"a, b\",10,true,\"[\"\"x\"\",\"\"y\"\"]\",\r\n"
                                   "'=bad,2,false,[],g\r\n");
    CHECK(csv_from_items(boost::json::array{}).empty());
}

TEST_CASE("numbers are written without exponents, strings untouched", "[unit][api]") {
    using streamscope::api::plain_number;
    using streamscope::api::plain_numbers;
    CHECK(plain_number(6.0) == "6");
    CHECK(plain_number(1258475.1) == "1258475.1");
    CHECK(plain_number(-0.25) == "-0.25");
    CHECK(plain_number(0) == "0");
    CHECK(plain_numbers(R"({"a":6E0,"b":1.2584751E6,"c":"1E5 stays","d":[-2.5E-1,7],"e":1E300})") ==
          R"({"a":6,"b":1258475.1,"c":"1E5 stays","d":[-0.25,7],"e":1e+300})");
    CHECK(plain_numbers(R"({"t":"quote \" 1E2 \\","n":3E1})") ==
          R"({"t":"quote \" 1E2 \\","n":30})");
}

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "api/format/csv.hpp"

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

TEST_CASE("negative numbers stay numbers; only text is neutralised", "[unit][api][csv]") {
    const auto items = boost::json::parse(
                           R"([{"change": -12, "growth": -0.5, "big": -9007199254740993,
                                "note": "-12"}])")
                           .as_array();
    CHECK(csv_from_items(items) == "change,growth,big,note\r\n"
                                   "-12,-0.5,-9007199254740993,'-12\r\n");
}

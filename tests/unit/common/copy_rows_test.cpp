#include <catch2/catch.hpp>

#include "common/db/copy_rows.hpp"

using streamscope::db::append_array_literal;
using streamscope::db::append_copy_field;

namespace {

std::string field(std::string_view value) {
    std::string out = "prefix|";
    append_copy_field(out, value);
    return out;
}

} // namespace

TEST_CASE("COPY text fields escape exactly what the format gives a meaning to", "[copy]") {
    CHECK(field("plain text") == "prefix|plain text");
    CHECK(field("") == "prefix|");
    CHECK(field("a\tb") == "prefix|a\\tb");
    CHECK(field("line\nbreak\r\n") == "prefix|line\\nbreak\\r\\n");
    CHECK(field("back\\slash \\N") == "prefix|back\\\\slash \\\\N");
    CHECK(field("\\") == "prefix|\\\\");
    // Quotes, commas, braces and multi-byte text pass through untouched.
    CHECK(field("\"q\" 'q', {a} 日本語 🎮") == "prefix|\"q\" 'q', {a} 日本語 🎮");
    // PostgreSQL text cannot hold NUL: dropped rather than failing the whole COPY.
    CHECK(field(std::string("nul\0byte\0", 9)) == "prefix|nulbyte");
}

TEST_CASE("array literals quote every element and escape quotes and backslashes", "[copy]") {
    const auto literal = [](const std::vector<std::string>& items) {
        std::string out;
        append_array_literal(out, items);
        return out;
    };
    CHECK(literal({}) == "{}");
    CHECK(literal({""}) == "{\"\"}");
    CHECK(literal({"English", "Chill"}) == "{\"English\",\"Chill\"}");
    // Without quotes these would be a NULL element, a nested array and three elements.
    CHECK(literal({"NULL", "{x}", "a,b c"}) == "{\"NULL\",\"{x}\",\"a,b c\"}");
    CHECK(literal({"say \"hi\"", "C:\\dir"}) == "{\"say \\\"hi\\\"\",\"C:\\\\dir\"}");
}

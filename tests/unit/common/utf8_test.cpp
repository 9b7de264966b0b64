#include <string>

#include <catch2/catch.hpp>

#include "common/text/utf8.hpp"

using streamscope::text::is_storable_text;
using streamscope::text::utf8_sequence_length;

TEST_CASE("text PostgreSQL can store is valid UTF-8 without NUL", "[unit][text]") {
    CHECK(is_storable_text(""));
    CHECK(is_storable_text("plain ascii, tabs\tand newlines\n"));
    CHECK(is_storable_text("日本語 🎮 e\xCC\x81 \xF4\x8F\xBF\xBF")); // U+10FFFF is the last
    CHECK_FALSE(is_storable_text(std::string("a\0b", 3)));
    CHECK_FALSE(is_storable_text("\xFF"));
    CHECK_FALSE(is_storable_text("\xC3\x28"));         // a lead byte without its continuation
    CHECK_FALSE(is_storable_text("\x80"));             // a stray continuation byte
    CHECK_FALSE(is_storable_text("\xC0\x80"));         // an overlong NUL
    CHECK_FALSE(is_storable_text("\xE0\x80\xAF"));     // an overlong '/'
    CHECK_FALSE(is_storable_text("\xED\xA0\x80"));     // a surrogate
    CHECK_FALSE(is_storable_text("\xF4\x90\x80\x80")); // past U+10FFFF
    CHECK_FALSE(is_storable_text("ok \xE6\x97"));      // cut short at the end
}

TEST_CASE("a UTF-8 sequence's length is read from its lead byte", "[unit][text]") {
    const std::string text = "a\xC3\xA9\xE6\x97\xA5\xF0\x9F\x8E\xAE";
    CHECK(utf8_sequence_length(text, 0) == 1);
    CHECK(utf8_sequence_length(text, 1) == 2);
    CHECK(utf8_sequence_length(text, 3) == 3);
    CHECK(utf8_sequence_length(text, 6) == 4);
    CHECK(utf8_sequence_length(text, 2) == 0); // a continuation byte starts nothing
}

TEST_CASE("invalid UTF-8 is replaced byte by byte", "[unit][text]") {
    using streamscope::text::replace_invalid_utf8;
    CHECK(replace_invalid_utf8("plain") == "plain");
    CHECK(replace_invalid_utf8("日本 🎮") == "日本 🎮");
    CHECK(replace_invalid_utf8("a\xFF"
                               "b") == "a\xEF\xBF\xBD"
                                       "b");
    CHECK(replace_invalid_utf8("\xE6\x97") == "\xEF\xBF\xBD\xEF\xBF\xBD"); // cut short: two
    CHECK(replace_invalid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(is_storable_text(replace_invalid_utf8("x\xC0\x80y\x80")));
}

TEST_CASE("lengths and cuts in UTF-16 code units", "[unit][text]") {
    using streamscope::text::utf16_length;
    using streamscope::text::utf16_prefix;
    CHECK(utf16_length("") == 0);
    CHECK(utf16_length("abc") == 3);
    CHECK(utf16_length("é日") == 2);
    CHECK(utf16_length("🎮") == 2); // past U+FFFF: a surrogate pair
    CHECK(utf16_length("\xFF\xFE") == 2);

    const std::string text = "ab\xC3\xA9\xE6\x97\xA5\xF0\x9F\x8E\xAE!"; // a b é 日 🎮 !
    CHECK(utf16_prefix(text, 0).empty());
    CHECK(utf16_prefix(text, 2) == "ab");
    CHECK(utf16_prefix(text, 3) == "ab\xC3\xA9");
    CHECK(utf16_prefix(text, 4) == "ab\xC3\xA9\xE6\x97\xA5");
    CHECK(utf16_prefix(text, 5) == "ab\xC3\xA9\xE6\x97\xA5"); // never half an emoji
    CHECK(utf16_prefix(text, 6) == "ab\xC3\xA9\xE6\x97\xA5\xF0\x9F\x8E\xAE");
    CHECK(utf16_prefix(text, 7) == text);
    CHECK(utf16_prefix(text, 100) == text);
    for (std::size_t limit = 0; limit < 9; ++limit) {
        INFO(limit);
        CHECK(is_storable_text(utf16_prefix(text, limit)));
        CHECK(utf16_length(utf16_prefix(text, limit)) <= limit);
    }
}

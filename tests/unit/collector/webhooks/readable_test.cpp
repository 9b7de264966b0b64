#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include "collector/webhooks/readable.hpp"
#include "common/text/utf8.hpp"

using namespace streamscope::webhooks;
using namespace std::chrono_literals;

TEST_CASE("numbers for people: separators and abbreviations", "[unit][webhooks]") {
    CHECK(with_separators(0) == "0");
    CHECK(with_separators(999) == "999");
    CHECK(with_separators(1000) == "1,000");
    CHECK(with_separators(45210) == "45,210");
    CHECK(with_separators(1234567) == "1,234,567");
    CHECK(with_separators(-1234) == "-1,234");
    CHECK(with_separators(std::numeric_limits<std::int64_t>::min()) ==
          "-9,223,372,036,854,775,808");

    CHECK(count_for_people(1) == "1");
    CHECK(count_for_people(999'999) == "999,999");
    CHECK(count_for_people(1'000'000) == "1M");
    CHECK(count_for_people(1'234'567) == "1.2M");
    CHECK(count_for_people(1'999'999) == "1.9M"); // cut, never rounded up
    CHECK(count_for_people(12'345'678) == "12.3M");
    CHECK(count_for_people(999'999'999) == "999.9M");
    CHECK(count_for_people(2'500'000'000) == "2.5B");
    CHECK(count_for_people(1'000'000'000'000) == "1,000B");

    CHECK(percent_change(1.8) == "+80%");
    CHECK(percent_change(3.0) == "+200%");
    CHECK(percent_change(1.0) == "+0%");
    CHECK(percent_change(0.5) == "-50%");
    CHECK(percent_change(1.0049) == "+0%");
    CHECK(percent_change(1.006) == "+1%");
    CHECK(percent_change(120.0) == "+11,900%");
    CHECK(percent_change(std::nan("")).empty());
    CHECK(percent_change(std::numeric_limits<double>::infinity()).empty());
    CHECK(percent_change(1e300).empty());
}

TEST_CASE("durations and times for people", "[unit][webhooks]") {
    CHECK(duration_for_people(0s) == "less than a minute");
    CHECK(duration_for_people(59s) == "less than a minute");
    CHECK(duration_for_people(-5min) == "less than a minute");
    CHECK(duration_for_people(60s) == "1 min");
    CHECK(duration_for_people(45min + 30s) == "45 min");
    CHECK(duration_for_people(5h) == "5 h");
    CHECK(duration_for_people(5h + 12min + 59s) == "5 h 12 min");
    CHECK(duration_for_people(26h + 5min) == "1 d 2 h");
    CHECK(duration_for_people(72h + 59min) == "3 d");

    CHECK(time_for_people("2026-12-07T23:00:00Z") == "2026-12-07 23:00 UTC");
    CHECK(time_for_people("2026-12-07T23:59:59.999999Z") == "2026-12-07 23:59 UTC");
    CHECK(time_for_people("2026-12-08T01:30:00+02:00") == "2026-12-07 23:30 UTC");
    CHECK(time_for_people("yesterday") == "yesterday");
}

TEST_CASE("text on one line, and cut to a size", "[unit][webhooks]") {
    CHECK(one_line("plain title") == "plain title");
    CHECK(one_line("two\r\nlines\tand\x7F"
                   "del") == "two  lines and del");
    CHECK(one_line("C1\xC2\x85next line") == "C1 next line");        // U+0085 NEL
    CHECK(one_line("sep\xE2\x80\xA8par\xE2\x80\xA9") == "sep par "); // U+2028, U+2029
    CHECK(one_line("\xC2\xA0nbsp stays") == "\xC2\xA0nbsp stays");
    CHECK(one_line("emoji 🎮 and 日本") == "emoji 🎮 and 日本");
    CHECK(one_line("bad\xFF"
                   "byte") == "bad\xEF\xBF\xBD"
                              "byte");
    CHECK(one_line(std::string("nul\0in", 6)) == "nul in");

    CHECK(shorten("short", 10) == "short");
    CHECK(shorten("exactly10!", 10) == "exactly10!");
    CHECK(shorten("eleven chars", 10) == "eleven ch\xE2\x80\xA6");
    CHECK(shorten("🎮🎮🎮", 4) == "🎮\xE2\x80\xA6"); // 🎮 is two units: a third would not fit
    CHECK(shorten("abc", 0).empty());
    const std::string long_title(10'000, 'x');
    const std::string cut = shorten(long_title, 300);
    CHECK(streamscope::text::utf16_length(cut) == 300);
    CHECK(cut.ends_with("\xE2\x80\xA6"));
}

#include "collector/webhooks/readable.hpp"

#include <cmath>
#include <cstdio>

#include "common/text/utf8.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::webhooks {
namespace {

constexpr std::string_view ellipsis = "\xE2\x80\xA6"; // U+2026, one UTF-16 unit

// "1.9" from 1,999,999 and a million: the whole part and one decimal, cut.
std::string in_units_of(std::int64_t n, std::int64_t unit) {
    const std::int64_t tenths = n / (unit / 10);
    std::string out = with_separators(tenths / 10);
    if (tenths % 10 != 0) {
        out += '.';
        out += std::to_string(tenths % 10);
    }
    return out;
}

} // namespace

std::string with_separators(std::int64_t n) {
    // Digits of the magnitude, as unsigned: -2^63 has no positive int64.
    const bool negative = n < 0;
    const std::uint64_t magnitude =
        negative ? std::uint64_t{0} - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
    const std::string digits = std::to_string(magnitude);
    std::string out = negative ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

std::string count_for_people(std::int64_t n) {
    if (n >= 1'000'000'000) {
        return in_units_of(n, 1'000'000'000) + "B";
    }
    if (n >= 1'000'000) {
        return in_units_of(n, 1'000'000) + "M";
    }
    return with_separators(n);
}

std::string percent_change(double growth) {
    if (!std::isfinite(growth)) {
        return "";
    }
    const double percent = std::round((growth - 1.0) * 100.0);
    if (std::fabs(percent) > 1e15) {
        return "";
    }
    const auto whole = static_cast<std::int64_t>(percent);
    std::string out = whole >= 0 ? "+" : "";
    out += with_separators(whole);
    out += '%';
    return out;
}

std::string duration_for_people(std::chrono::seconds d) {
    using namespace std::chrono;
    if (d < minutes(1)) {
        return "less than a minute";
    }
    const auto day_count = duration_cast<days>(d).count();
    const auto hour_count = duration_cast<hours>(d % days(1)).count();
    const auto minute_count = duration_cast<minutes>(d % hours(1)).count();
    // The two largest units, the second left out when 0. Appends only: GCC 12 warns about
    // " " + std::string with a false -Wrestrict (PR 105329).
    std::string out;
    const auto add = [&out](std::int64_t n, std::string_view unit) {
        if (!out.empty()) {
            out += ' ';
        }
        out += std::to_string(n);
        out += ' ';
        out += unit;
    };
    if (day_count > 0) {
        add(day_count, "d");
        if (hour_count > 0) {
            add(hour_count, "h");
        }
    } else if (hour_count > 0) {
        add(hour_count, "h");
        if (minute_count > 0) {
            add(minute_count, "min");
        }
    } else {
        add(minute_count, "min");
    }
    return out;
}

std::string time_for_people(std::string_view rfc3339) {
    using namespace std::chrono;
    const auto t = time::parse_rfc3339(rfc3339);
    if (!t) {
        return std::string(rfc3339);
    }
    const auto day = floor<days>(*t);
    const year_month_day ymd{day};
    const hh_mm_ss tod{floor<minutes>(*t - day)};
    char text[40];
    const int n = std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d UTC", int(ymd.year()),
                                unsigned(ymd.month()), unsigned(ymd.day()),
                                int(tod.hours().count()), int(tod.minutes().count()));
    return std::string(text, static_cast<std::size_t>(n));
}

std::string one_line(std::string_view text) {
    const std::string valid = text::replace_invalid_utf8(text);
    std::string out;
    out.reserve(valid.size());
    for (std::size_t at = 0; at < valid.size();) {
        const auto byte = static_cast<unsigned char>(valid[at]);
        const std::size_t length = text::utf8_sequence_length(valid, at);
        const std::string_view sequence = std::string_view(valid).substr(at, length);
        // C0 controls and DEL; C1 controls (U+0080-U+009F, C2 80-C2 9F); U+2028 and U+2029.
        const bool control =
            byte < 0x20 || byte == 0x7F ||
            (length == 2 && byte == 0xC2 && static_cast<unsigned char>(valid[at + 1]) < 0xA0) ||
            sequence == "\xE2\x80\xA8" || sequence == "\xE2\x80\xA9";
        if (control) {
            out += ' ';
        } else {
            out.append(sequence);
        }
        at += length;
    }
    return out;
}

std::string shorten(std::string_view text, std::size_t limit) {
    if (text::utf16_length(text) <= limit) {
        return std::string(text);
    }
    if (limit == 0) {
        return "";
    }
    return std::string(text::utf16_prefix(text, limit - 1)) + std::string(ellipsis);
}

} // namespace streamscope::webhooks

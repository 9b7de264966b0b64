#include "common/time/timestamp.hpp"

#include <charconv>
#include <cstdio>

namespace streamscope::time {
namespace {

bool read_int(std::string_view text, std::size_t pos, std::size_t len, int& out) {
    if (pos + len > text.size()) {
        return false;
    }
    const char* first = text.data() + pos;
    for (std::size_t i = 0; i < len; ++i) {
        if (first[i] < '0' || first[i] > '9') {
            return false;
        }
    }
    return std::from_chars(first, first + len, out).ec == std::errc{};
}

} // namespace

std::string format_rfc3339(timestamp t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss tod{t - day};
    char buf[40];
    int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", int(ymd.year()),
                          unsigned(ymd.month()), unsigned(ymd.day()), int(tod.hours().count()),
                          int(tod.minutes().count()), int(tod.seconds().count()));
    if (const auto us = tod.subseconds().count(); us != 0) {
        n += std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ".%06lld",
                           static_cast<long long>(us));
    }
    return std::string(buf, static_cast<std::size_t>(n)) + "Z";
}

std::optional<timestamp> parse_rfc3339(std::string_view s) {
    using namespace std::chrono;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (s.size() < 20 || !read_int(s, 0, 4, y) || s[4] != '-' || !read_int(s, 5, 2, mo) ||
        s[7] != '-' || !read_int(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        !read_int(s, 11, 2, h) || s[13] != ':' || !read_int(s, 14, 2, mi) || s[16] != ':' ||
        !read_int(s, 17, 2, sec)) {
        return std::nullopt;
    }
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                             day{static_cast<unsigned>(d)}};
    // 60 would be a leap second: Helix does not send them and sys_time cannot hold them.
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    microseconds fraction{0};
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t digits = 0;
        long long us = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 6) {
                us = us * 10 + (s[pos] - '0');
            }
            ++digits;
            ++pos;
        }
        if (digits == 0 || digits > 9) {
            return std::nullopt;
        }
        for (std::size_t i = digits; i < 6; ++i) {
            us *= 10;
        }
        fraction = microseconds{us};
    }
    minutes offset{0};
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh = 0, om = 0;
        if (!read_int(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !read_int(s, pos + 4, 2, om) || oh > 23 || om > 59) {
            return std::nullopt;
        }
        offset = hours{oh} + minutes{om};
        if (s[pos] == '-') {
            offset = -offset;
        }
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) {
        return std::nullopt;
    }
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + fraction - offset;
}

std::string format_date(std::chrono::year_month_day day) {
    return format_rfc3339(timestamp(std::chrono::sys_days(day))).substr(0, 10);
}

} // namespace streamscope::time

#include "common/config/values.hpp"

#include <charconv>

#include "common/text/ascii_case.hpp"

namespace streamscope::config {

std::optional<long long> integer_setting(const settings& s, std::string_view name, long long min,
                                         long long max, std::vector<std::string>& problems) {
    const std::string text = s.get(name).value_or("");
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < min ||
        value > max) {
        problems.push_back(std::string(name) + " must be a whole number from " +
                           std::to_string(min) + " to " + std::to_string(max) + ", got '" + text +
                           "'");
        return std::nullopt;
    }
    return value;
}

std::vector<std::string> list_setting(const settings& s, std::string_view name,
                                      std::string_view fallback) {
    std::vector<std::string> out;
    const std::string text = s.get(name).value_or(std::string(fallback));
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        while (!item.empty() && item.front() == ' ') {
            item.remove_prefix(1);
        }
        while (!item.empty() && item.back() == ' ') {
            item.remove_suffix(1);
        }
        if (!item.empty()) {
            out.emplace_back(item);
        }
    }
    return out;
}

void read_flag(const settings& s, std::string_view name, bool& into,
               std::vector<std::string>& problems) {
    const std::string value = text::ascii_lower(s.get(name).value_or(""));
    if (value == "true") {
        into = true;
    } else if (value == "false") {
        into = false;
    } else if (!value.empty()) {
        problems.push_back(std::string(name) + " must be true or false, got '" +
                           s.get(name).value_or("") + "'");
    }
}

} // namespace streamscope::config

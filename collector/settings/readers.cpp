#include "collector/settings/readers.hpp"

#include <algorithm>
#include <cstdlib>

#include "common/config/values.hpp"

namespace streamscope::collector {

std::optional<bool> flag_setting(const config::settings& s, std::string_view name,
                                 std::vector<std::string>& problems) {
    const auto text = s.get(name);
    if (!text || text->empty() || *text == "false" || *text == "0" || *text == "no") {
        return false;
    }
    if (*text == "true" || *text == "1" || *text == "yes") {
        return true;
    }
    problems.push_back(std::string(name) + " must be true or false, got '" + *text + "'");
    return std::nullopt;
}

std::optional<http::origin> origin_setting(const config::settings& s, std::string_view name,
                                           std::vector<std::string>& problems) {
    const std::string text = s.get(name).value_or("");
    auto parsed = http::origin::parse(text);
    if (!parsed) {
        problems.push_back(std::string(name) + " must be an https:// URL without query, got '" +
                           text + "'");
        return std::nullopt;
    }
    return *parsed;
}

std::optional<std::chrono::milliseconds> minutes_setting(const config::settings& s,
                                                         std::string_view name,
                                                         std::vector<std::string>& problems) {
    const std::string text = s.get(name).value_or("");
    char* end = nullptr;
    const double minutes = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !(minutes >= 0.005) ||
        minutes > 24 * 60) {
        problems.push_back(std::string(name) +
                           " must be a number of minutes from 0.005 to 1440, got '" + text + "'");
        return std::nullopt;
    }
    return std::chrono::milliseconds(static_cast<std::int64_t>(minutes * 60'000));
}

std::vector<std::string> checked_list(const config::settings& s, std::string_view name,
                                      bool (*valid)(std::string_view), std::size_t max_items,
                                      std::string_view limit_owner,
                                      std::vector<std::string>& problems) {
    std::vector<std::string> out;
    for (std::string& item : config::list_setting(s, name)) {
        if (!valid(item)) {
            problems.push_back(std::string(name) + ": '" + item + "' is not a valid value");
        } else if (std::find(out.begin(), out.end(), item) == out.end()) {
            out.push_back(std::move(item));
        }
    }
    if (out.size() > max_items) {
        problems.push_back(std::string(name) + " may list at most " + std::to_string(max_items) +
                           " values (" + std::string(limit_owner) + "'s limit), got " +
                           std::to_string(out.size()));
    }
    return out;
}

http::timeouts http_timeouts(const config::settings& s, std::vector<std::string>& problems) {
    int timeout_s = 0;
    config::read_integer(s, "HTTP_TIMEOUT_SECONDS", 1, 600, timeout_s, problems);
    const auto timeout = std::chrono::seconds(timeout_s);
    http::timeouts out;
    out.exchange = timeout;
    out.connect = std::max<std::chrono::milliseconds>(timeout / 3, std::chrono::seconds(1));
    return out;
}

} // namespace streamscope::collector

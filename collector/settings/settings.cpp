#include "collector/settings/settings.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <boost/asio/ip/address.hpp>

#include "common/config/values.hpp"

namespace streamscope::collector {
namespace {

std::optional<bool> parse_flag(const config::settings& s, std::string_view name,
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

// A list setting's valid items, each once; Helix takes at most 100 values per parameter.
std::vector<std::string> parse_list(const config::settings& s, std::string_view name,
                                    bool (*valid)(std::string_view),
                                    std::vector<std::string>& problems) {
    std::vector<std::string> out;
    for (std::string& item : config::list_setting(s, name)) {
        if (!valid(item)) {
            problems.push_back(std::string(name) + ": '" + item + "' is not a valid value");
        } else if (std::find(out.begin(), out.end(), item) == out.end()) {
            out.push_back(std::move(item));
        }
    }
    if (out.size() > 100) {
        problems.push_back(std::string(name) +
                           " may list at most 100 values (Helix's limit), got " +
                           std::to_string(out.size()));
    }
    return out;
}

bool valid_language(std::string_view v) {
    // ISO 639-1 codes, or Twitch's "other".
    return v == "other" || (v.size() == 2 && std::all_of(v.begin(), v.end(), [](char c) {
                                return c >= 'a' && c <= 'z';
                            }));
}

bool valid_id(std::string_view v) {
    return v.size() <= 64 && std::all_of(v.begin(), v.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
           });
}

std::optional<http::origin> parse_origin(const config::settings& s, std::string_view name,
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

} // namespace

collector_settings load_collector_settings(const config::settings& s, bool needs_twitch,
                                           std::vector<std::string>& problems) {
    collector_settings out;
    out.once = parse_flag(s, "ONCE", problems).value_or(false);

    twitch::twitch_settings& t = out.twitch;
    t.credentials.client_id = s.get("TWITCH_CLIENT_ID").value_or("");
    t.credentials.client_secret = config::secret(s.get("TWITCH_CLIENT_SECRET").value_or(""));
    if (needs_twitch && t.credentials.client_id.empty()) {
        problems.emplace_back("TWITCH_CLIENT_ID is required (your Twitch application's client "
                              "id, from https://dev.twitch.tv/console)");
    }
    if (needs_twitch && t.credentials.client_secret.empty()) {
        problems.emplace_back("TWITCH_CLIENT_SECRET is required (your Twitch application's "
                              "client secret)");
    }
    if (auto api = parse_origin(s, "TWITCH_API_BASE_URL", problems)) {
        t.api = *api;
    }
    if (auto auth = parse_origin(s, "TWITCH_AUTH_BASE_URL", problems)) {
        t.auth = *auth;
    }
    if (auto ca = s.get("TWITCH_CA_FILE"); ca && !ca->empty()) {
        t.ca_file = *ca;
    }
    t.languages = parse_list(s, "TWITCH_LANGUAGES", valid_language, problems);
    t.game_ids = parse_list(s, "TWITCH_GAME_IDS", valid_id, problems);
    config::read_integer(s, "MAX_STREAMS_PER_COLLECTION", 0, 10'000'000, t.max_streams, problems);
    int refresh_hours = 0;
    config::read_integer(s, "CHANNEL_REFRESH_HOURS", 1, 24 * 365, refresh_hours, problems);
    t.channel_refresh = std::chrono::hours(refresh_hours);
    int timeout_s = 0;
    config::read_integer(s, "HTTP_TIMEOUT_SECONDS", 1, 600, timeout_s, problems);
    const auto timeout = std::chrono::seconds(timeout_s);
    t.timeouts.exchange = timeout;
    t.timeouts.connect = std::max<std::chrono::milliseconds>(timeout / 3, std::chrono::seconds(1));
    config::read_integer(s, "HTTP_MAX_RETRIES", 0, 20, t.max_retries, problems);

    daemon_settings& d = out.daemon;
    {
        const std::string text = s.get("COLLECTION_INTERVAL_MINUTES").value_or("");
        char* end = nullptr;
        const double minutes = std::strtod(text.c_str(), &end);
        // From 3 seconds (tests) to a day.
        if (text.empty() || end != text.c_str() + text.size() || !(minutes >= 0.05) ||
            minutes > 24 * 60) {
            problems.push_back("COLLECTION_INTERVAL_MINUTES must be a number of minutes from "
                               "0.05 to 1440, got '" +
                               text + "'");
        } else {
            d.interval = std::chrono::milliseconds(static_cast<std::int64_t>(minutes * 60'000));
        }
    }
    d.spool_dir = s.get("SPOOL_DIR").value_or("");
    if (d.spool_dir.empty()) {
        problems.emplace_back("SPOOL_DIR must name a folder");
    }
    std::uint64_t spool_mb = 0;
    config::read_integer(s, "SPOOL_MAX_MB", 1, 1'000'000, spool_mb, problems);
    d.spool_max_bytes = spool_mb << 20;
    d.health_address = s.get("COLLECTOR_HEALTH_ADDRESS").value_or("");
    {
        boost::system::error_code ec;
        boost::asio::ip::make_address(d.health_address, ec);
        if (ec) {
            problems.push_back("COLLECTOR_HEALTH_ADDRESS must be an IP address, got '" +
                               d.health_address + "'");
        }
    }
    config::read_integer(s, "COLLECTOR_HEALTH_PORT", 0, 65535, d.health_port, problems);
    config::read_integer(s, "RAW_RETENTION_DAYS", 0, 36500, out.retention.raw_days, problems);
    config::read_integer(s, "ROLLUP_RETENTION_DAYS", 0, 36500, out.retention.rollup_days, problems);
    if (out.retention.rollup_days > 0 && out.retention.raw_days > 0 &&
        out.retention.rollup_days < out.retention.raw_days) {
        problems.push_back("ROLLUP_RETENTION_DAYS must be 0 (for ever) or at least "
                           "RAW_RETENTION_DAYS: rollups are what remains of expired snapshots");
    }
    return out;
}

} // namespace streamscope::collector

#include "collector/twitch/settings.hpp"

#include <algorithm>
#include <cctype>

#include "collector/settings/readers.hpp"
#include "common/config/values.hpp"

namespace streamscope::twitch {
namespace {

// Helix takes at most 100 values per parameter.
constexpr std::size_t helix_values = 100;

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

} // namespace

bool has_credentials(const config::settings& s) {
    return !s.get("TWITCH_CLIENT_ID").value_or("").empty() ||
           !s.get("TWITCH_CLIENT_SECRET").value_or("").empty();
}

twitch_settings load_settings(const config::settings& s, bool required, http::timeouts timeouts,
                              int max_retries, std::vector<std::string>& problems) {
    twitch_settings t;
    t.credentials.client_id = s.get("TWITCH_CLIENT_ID").value_or("");
    t.credentials.client_secret = config::secret(s.get("TWITCH_CLIENT_SECRET").value_or(""));
    if (required && t.credentials.client_id.empty()) {
        problems.emplace_back("TWITCH_CLIENT_ID is required (your Twitch application's client "
                              "id, from https://dev.twitch.tv/console)");
    }
    if (required && t.credentials.client_secret.empty()) {
        problems.emplace_back("TWITCH_CLIENT_SECRET is required (your Twitch application's "
                              "client secret)");
    }
    if (auto api = collector::origin_setting(s, "TWITCH_API_BASE_URL", problems)) {
        t.api = *api;
    }
    if (auto auth = collector::origin_setting(s, "TWITCH_AUTH_BASE_URL", problems)) {
        t.auth = *auth;
    }
    if (auto ca = s.get("TWITCH_CA_FILE"); ca && !ca->empty()) {
        t.ca_file = *ca;
    }
    t.languages = collector::checked_list(s, "TWITCH_LANGUAGES", valid_language, helix_values,
                                          "Helix", problems);
    t.game_ids =
        collector::checked_list(s, "TWITCH_GAME_IDS", valid_id, helix_values, "Helix", problems);
    config::read_integer(s, "MAX_STREAMS_PER_COLLECTION", 0, 10'000'000, t.max_streams, problems);
    int refresh_hours = 0;
    config::read_integer(s, "CHANNEL_REFRESH_HOURS", 1, 24 * 365, refresh_hours, problems);
    t.channel_refresh = std::chrono::hours(refresh_hours);
    t.timeouts = timeouts;
    t.max_retries = max_retries;
    return t;
}

} // namespace streamscope::twitch

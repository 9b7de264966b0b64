#include "collector/kick/settings.hpp"

#include "collector/settings/readers.hpp"
#include "common/config/values.hpp"

namespace streamscope::kick {

bool has_credentials(const config::settings& s) {
    return !s.get("KICK_CLIENT_ID").value_or("").empty() ||
           !s.get("KICK_CLIENT_SECRET").value_or("").empty();
}

kick_settings load_settings(const config::settings& s, bool required, http::timeouts timeouts,
                            int max_retries, std::vector<std::string>& problems) {
    kick_settings k;
    k.credentials.client_id = s.get("KICK_CLIENT_ID").value_or("");
    k.credentials.client_secret = config::secret(s.get("KICK_CLIENT_SECRET").value_or(""));
    if (required && k.credentials.client_id.empty()) {
        problems.emplace_back("KICK_CLIENT_ID is required to sweep Kick (your Kick app's client "
                              "id, from Settings > Developer on kick.com)");
    }
    if (required && k.credentials.client_secret.empty()) {
        problems.emplace_back("KICK_CLIENT_SECRET is required to sweep Kick (your Kick app's "
                              "client secret)");
    }
    if (auto api = collector::origin_setting(s, "KICK_API_BASE_URL", problems)) {
        k.api = *api;
    }
    if (auto auth = collector::origin_setting(s, "KICK_AUTH_BASE_URL", problems)) {
        k.auth = *auth;
    }
    if (auto ca = s.get("KICK_CA_FILE"); ca && !ca->empty()) {
        k.ca_file = *ca;
    }
    int per_minute = 0;
    config::read_integer(s, "KICK_REQUESTS_PER_MINUTE", 1, 6000, per_minute, problems);
    k.requests_per_minute = per_minute;
    k.timeouts = timeouts;
    k.max_retries = max_retries;
    return k;
}

} // namespace streamscope::kick

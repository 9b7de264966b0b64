#include "collector/settings/settings.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include <boost/asio/ip/address.hpp>

#include "collector/platforms.hpp"
#include "collector/settings/readers.hpp"
#include "common/config/values.hpp"
#include "common/text/trim.hpp"

namespace streamscope::collector {
namespace {

std::string swept_names() {
    std::string out;
    for (const platform_entry& entry : swept_platforms()) {
        out += (out.empty() ? "" : ", ") + std::string(model::to_string(entry.id));
    }
    return out;
}

std::vector<model::platform> choose_platforms(const config::settings& s,
                                              std::vector<std::string>& problems) {
    std::vector<model::platform> chosen;
    const std::string listed = s.get("PLATFORMS").value_or("");
    for (const std::string& name : config::list_setting(s, "PLATFORMS")) {
        const auto platform = model::parse_platform(name);
        if (!platform || find_platform(*platform) == nullptr) {
            problems.push_back("PLATFORMS: '" + name +
                               "' is not a platform this collector sweeps (" + swept_names() + ")");
        } else if (std::find(chosen.begin(), chosen.end(), *platform) == chosen.end()) {
            chosen.push_back(*platform);
        }
    }
    if (!listed.empty()) {
        return chosen;
    }
    // Unset: every platform whose credentials are there; Twitch when none are, so that the
    // lines about missing credentials name what to set.
    for (const platform_entry& entry : swept_platforms()) {
        if (entry.has_credentials(s)) {
            chosen.push_back(entry.id);
        }
    }
    if (chosen.empty()) {
        chosen.push_back(model::platform::twitch);
    }
    return chosen;
}

bool contains(const std::vector<model::platform>& list, model::platform p) {
    return std::find(list.begin(), list.end(), p) != list.end();
}

// EVENTS_VIEWER_THRESHOLDS: whole numbers from 1, each once, in ascending order.
std::vector<std::int64_t> viewer_thresholds(const config::settings& s,
                                            std::vector<std::string>& problems) {
    const std::string list = s.get("EVENTS_VIEWER_THRESHOLDS").value_or("");
    std::vector<std::int64_t> out;
    std::size_t from = 0;
    while (from <= list.size() && !list.empty()) {
        const std::size_t comma = std::min(list.find(',', from), list.size());
        const std::string item(
            text::trim_blanks(std::string_view(list).substr(from, comma - from)));
        std::int64_t value = 0;
        const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
        if (ec != std::errc{} || end != item.data() + item.size() || value < 1 ||
            value > 1'000'000'000) {
            problems.push_back("EVENTS_VIEWER_THRESHOLDS must be a comma list of whole numbers "
                               "from 1 to 1000000000, got '" +
                               list + "'");
            return {};
        }
        out.push_back(value);
        from = comma + 1;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace

namespace {

webhooks::delivery_settings webhook_settings(const config::settings& s,
                                             std::vector<std::string>& problems) {
    webhooks::delivery_settings w;
    config::read_integer(s, "WEBHOOK_CONCURRENCY", 1, 1'000, w.concurrency, problems);
    int timeout_s = 10;
    config::read_integer(s, "WEBHOOK_TIMEOUT_SECONDS", 1, 300, timeout_s, problems);
    w.timeout = std::chrono::seconds(timeout_s);
    config::read_flag(s, "WEBHOOK_ALLOW_PRIVATE_TARGETS", w.allow_private, problems);
    const auto file = [&s](std::string_view name) {
        const std::string value = s.get(name).value_or("");
        return value.empty() ? std::nullopt : std::optional<std::string>(value);
    };
    w.ca_file = file("WEBHOOK_CA_FILE");
    w.smtp_ca_file = file("SMTP_CA_FILE");
    const std::string scale = s.get("WEBHOOK_RETRY_SCALE").value_or("1");
    char* end = nullptr;
    w.retry_scale = std::strtod(scale.c_str(), &end);
    if (scale.empty() || end != scale.c_str() + scale.size() || !(w.retry_scale >= 0.0001) ||
        w.retry_scale > 1) {
        problems.push_back("WEBHOOK_RETRY_SCALE must be a number from 0.0001 to 1, got '" + scale +
                           "'");
    }
    if (const auto url = file("SMTP_URL")) {
        auto relay = webhooks::smtp_relay::parse(*url);
        if (relay) {
            w.smtp = std::move(*relay);
        } else {
            problems.push_back(relay.error().message);
        }
        w.smtp_from = s.get("SMTP_FROM").value_or("");
        if (!webhooks::is_mail_address(w.smtp_from)) {
            problems.push_back("SMTP_FROM must be the From address of e-mail notifications "
                               "(alerts@example.com) when SMTP_URL is set, got '" +
                               w.smtp_from + "'");
        }
    }
    return w;
}

} // namespace

collector_settings load_collector_settings(const config::settings& s, bool needs_credentials,
                                           std::vector<std::string>& problems) {
    collector_settings out;
    out.once = flag_setting(s, "ONCE", problems).value_or(false);
    out.platforms = choose_platforms(s, problems);

    int max_retries = 0;
    config::read_integer(s, "HTTP_MAX_RETRIES", 0, 20, max_retries, problems);
    const http::timeouts timeouts = http_timeouts(s, problems);
    out.twitch = twitch::load_settings(
        s, needs_credentials && contains(out.platforms, model::platform::twitch), timeouts,
        max_retries, problems);
    out.kick =
        kick::load_settings(s, needs_credentials && contains(out.platforms, model::platform::kick),
                            timeouts, max_retries, problems);

    out.youtube = youtube::load_settings(
        s, needs_credentials && contains(out.platforms, model::platform::youtube), timeouts,
        max_retries, problems);

    daemon_settings& d = out.daemon;
    // Each platform's interval; Kick's and YouTube's fall back to COLLECTION_INTERVAL_MINUTES.
    const auto interval = minutes_setting(s, "COLLECTION_INTERVAL_MINUTES", problems);
    const auto own_interval = [&](std::string_view name) {
        return s.get(name).value_or("").empty() ? interval : minutes_setting(s, name, problems);
    };
    const auto kick_interval = own_interval("KICK_COLLECTION_INTERVAL_MINUTES");
    const auto youtube_interval = own_interval("YOUTUBE_COLLECTION_INTERVAL_MINUTES");
    for (const model::platform p : out.platforms) {
        const auto& chosen = p == model::platform::kick      ? kick_interval
                             : p == model::platform::youtube ? youtube_interval
                                                             : interval;
        if (chosen) {
            d.intervals[p] = *chosen;
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
    config::read_integer(s, "EVENTS_RETENTION_HOURS", 1, 720, out.retention.event_hours, problems);
    config::read_integer(s, "EVENTS_TOP_SIZE", 0, 10'000, out.events.top_size, problems);
    config::read_integer(s, "EVENTS_TOP_PER_GAME", 0, 1'000, out.events.top_per_game, problems);
    config::read_integer(s, "EVENTS_TOP_GAMES", 0, 100'000, out.events.top_games, problems);
    out.events.viewer_thresholds = viewer_thresholds(s, problems);
    out.webhooks = webhook_settings(s, problems);
    return out;
}

} // namespace streamscope::collector

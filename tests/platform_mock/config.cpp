#include "tests/platform_mock/config.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>
#include <iterator>
#include <string_view>

#include "common/time/timestamp.hpp"

namespace streamscope::platform_mock {
namespace {

struct flag {
    std::string_view name;  // without the leading --
    std::string_view value; // what it takes, shown in --help; empty for a switch
    std::string_view help;
};

constexpr flag flags[] = {
    {"listen", "HOST:PORT", "address to listen on (default 127.0.0.1:0, 0 = any free port)"},
    {"port-file", "PATH", "also write the port to PATH (atomically, via rename)"},
    {"tls-cert", "PEM", "certificate chain to serve (default: a self-signed one made at start)"},
    {"tls-key", "PEM", "private key for --tls-cert"},
    {"ca-out", "PATH", "write the certificate in use to PATH, for clients' CA file"},
    {"start-time", "RFC3339",
     "fix the worlds' clocks (start + 1 s per tick of each world) instead of using "
     "wall time, so that started_at values repeat across runs"},
    {"verbose", "", "log one line per request to stderr"},
    {"help", "", "this text"},
    // Twitch: /oauth2/..., /helix/..., /_mock/...
    {"streams", "N", "Twitch: live streams at start (default 1000)"},
    {"channels", "M", "Twitch: channels in total, live and offline (default max(2N, 1000))"},
    {"games", "G", "Twitch: categories (default 500)"},
    {"seed", "S", "seed of everything random (default 1; Kick's is derived from it)"},
    {"client-id", "ID", "Twitch: the one valid client id (default mock-client-id)"},
    {"client-secret", "SECRET", "Twitch: its secret (default mock-client-secret)"},
    {"rate-limit-per-minute", "R",
     "Twitch: token bucket size and refill per minute (default 800, 0 = unlimited)"},
    {"churn", "", "Twitch: advance the world one tick before each Get Streams page"},
    {"drift-per-request", "K|P%",
     "Twitch: streams with a new viewer count per tick (default 0.5%)"},
    {"end-per-request", "K|P%", "Twitch: live streams that end per tick (default 0.05%)"},
    {"start-per-request", "K|P%", "Twitch: offline channels that go live per tick (default 0.05%)"},
    {"fault", "SPEC",
     "Twitch: install a fault rule kind[:count[:after]] on /helix/, e.g. 5xx:3:10 (repeatable; "
     "count 0 = always)"},
    {"followers-forbidden", "",
     "Twitch: answer Get Channel Followers with 401 (user token required)"},
    // Kick: /oauth/token, /public/..., /_mock/kick/...
    {"kick-streams", "N", "Kick: live streams at start (default 2000)"},
    {"kick-channels", "M", "Kick: channels in total, live and offline (default max(2N, 1000))"},
    {"kick-categories", "C", "Kick: categories (default 200)"},
    {"kick-seed", "S", "Kick: seed of its world and tokens (default: derived from --seed)"},
    {"kick-client-id", "ID", "Kick: the one valid client id (default mock-kick-client-id)"},
    {"kick-client-secret", "SECRET", "Kick: its secret (default mock-kick-client-secret)"},
    {"kick-rate-limit-per-minute", "R",
     "Kick: requests to /public/ per client in any 60 s (default 100, 0 = none); beyond it "
     "429, never any rate-limit headers"},
    {"kick-retry-after", "on|off|random", "Kick: whether a 429 says Retry-After (default random)"},
    {"kick-churn", "", "Kick: advance the world one tick before each v2 livestreams page"},
    {"kick-drift-per-request", "K|P%",
     "Kick: streams with a new viewer count per tick (default 0.5%)"},
    {"kick-end-per-request", "K|P%", "Kick: live streams that end per tick (default 0.05%)"},
    {"kick-start-per-request", "K|P%",
     "Kick: offline channels that go live per tick (default 0.05%)"},
    {"kick-cursor", "offset|keyset",
     "Kick: what a v2 cursor holds: the next page's offset, which skips streams when earlier "
     "ones end (default), or the last stream's key, which does not"},
    {"kick-last-page-cursor", "empty|absent|random",
     "Kick: the last v2 page says \"next_cursor\":\"\" (default), has no next_cursor, or either "
     "at random"},
    {"kick-no-category", "zero|null",
     "Kick: a stream without a category has {\"id\":0,\"name\":\"\",\"thumbnail\":\"\"} "
     "(default) or null"},
    {"kick-fault", "SPEC",
     "Kick: install a fault rule kind[:count[:after]] on /public/ (repeatable; count 0 = "
     "always)"},
    // YouTube: /youtube/v3/..., /feeds/videos.xml, /_mock/youtube/...
    {"youtube-channels", "N",
     "YouTube: channels in total, a few of them terminated (default 2000)"},
    {"youtube-live-fraction", "F",
     "YouTube: share of the channels live at any time on average, 0 to 1 (default 0.05: about "
     "100 of 2000)"},
    {"youtube-time-scale", "X",
     "YouTube: simulated seconds per real second (default 1; 0 = stopped, moved only by POST "
     "/_mock/youtube/clock/advance); the quota day turns at simulated midnight Los Angeles"},
    {"youtube-seed", "S", "YouTube: seed of its world (default: derived from --seed)"},
    {"youtube-api-key", "KEY",
     "YouTube: a valid API key, each with its own quota (repeatable; default "
     "mock-youtube-api-key)"},
    {"youtube-daily-quota", "U",
     "YouTube: units per key and day for every method but search.list (default 10000)"},
    {"youtube-search-daily-quota", "N",
     "YouTube: search.list calls per key and day, a bucket of their own (default 100)"},
    {"youtube-feed-requests-per-second", "R",
     "YouTube: feed requests per client address in any second, beyond it 429 (default 5, 0 = "
     "none)"},
    {"youtube-fault", "SPEC",
     "YouTube: install a fault rule kind[:count[:after]] on /youtube/v3/ (repeatable; count 0 "
     "= always)"},
};

const flag* find_flag(std::string_view name) {
    const auto it = std::find_if(std::begin(flags), std::end(flags),
                                 [&](const flag& f) { return f.name == name; });
    return it == std::end(flags) ? nullptr : &*it;
}

template <typename T>
std::optional<T> parse_number(std::string_view text, T max) {
    T n{};
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || n > max) {
        return std::nullopt;
    }
    return n;
}

// "500" (streams per tick) or "0.5%" (of the live streams).
std::optional<churn_amount> parse_churn(std::string_view text) {
    churn_amount a;
    if (text.ends_with('%')) {
        a.percent = true;
        text.remove_suffix(1);
    }
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), a.value);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || !(a.value >= 0) ||
        (a.percent && a.value > 100) || a.value > 1e7) {
        return std::nullopt;
    }
    return a;
}

// "127.0.0.1:8443" or "[::1]:8443".
bool parse_listen(std::string_view text, mock_config& config) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        return false;
    }
    std::string_view host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    const auto port = parse_number<std::uint16_t>(text.substr(colon + 1), 65535);
    const std::string address = host == "localhost" ? "127.0.0.1" : std::string(host);
    unsigned char binary[16];
    if (!port || (inet_pton(AF_INET, address.c_str(), binary) != 1 &&
                  inet_pton(AF_INET6, address.c_str(), binary) != 1)) {
        return false;
    }
    config.host = address;
    config.port = *port;
    return true;
}

// The flags Twitch and Kick share, by their name without the "kick-" prefix.
struct platform_flags {
    world_options& world;
    std::string& client_id;
    std::string& client_secret;
    std::uint32_t& rate_limit_per_minute;
    bool& churn;
    std::vector<fault_rule>& faults;
    std::string_view fault_path;
    std::optional<std::uint32_t> channels; // default: settle_population()
};

template <typename Bad>
void apply_platform_flag(platform_flags& p, std::string_view name, std::string_view value,
                         const Bad& bad) {
    if (name == "churn") {
        p.churn = true;
    } else if (name == "streams" || name == "channels" || name == "games" || name == "categories") {
        const auto n = parse_number<std::uint32_t>(value, 20'000'000);
        if (!n) {
            bad("expected an integer from 0 to 20000000");
        } else if (name == "streams") {
            p.world.streams = *n;
        } else if (name == "channels") {
            p.channels = *n;
        } else {
            p.world.games = *n;
        }
    } else if (name == "seed") {
        if (const auto n = parse_number<std::uint64_t>(value, UINT64_MAX)) {
            p.world.seed = *n;
        } else {
            bad("expected a non-negative integer");
        }
    } else if (name == "client-id" || name == "client-secret") {
        if (value.empty()) {
            bad("must not be empty");
        } else {
            (name == "client-id" ? p.client_id : p.client_secret) = std::string(value);
        }
    } else if (name == "rate-limit-per-minute") {
        if (const auto n = parse_number<std::uint32_t>(value, 1'000'000'000)) {
            p.rate_limit_per_minute = *n;
        } else {
            bad("expected a non-negative integer");
        }
    } else if (name == "drift-per-request" || name == "end-per-request" ||
               name == "start-per-request") {
        const auto a = parse_churn(value);
        if (!a) {
            bad("expected a count (e.g. 50) or a percentage of the live streams (e.g. 0.5%)");
        } else {
            (name == "drift-per-request" ? p.world.drift
             : name == "end-per-request" ? p.world.end
                                         : p.world.start) = *a;
        }
    } else if (name == "fault") {
        if (auto rule = parse_fault_spec(value, p.fault_path)) {
            p.faults.push_back(std::move(*rule));
        } else {
            bad(rule.error());
        }
    }
}

// Channels default to max(2N, 1000) and must be at least the live streams.
void settle_population(platform_flags& p, std::string_view prefix,
                       std::vector<std::string>& problems) {
    auto& world = p.world;
    world.channels = p.channels.value_or(std::max<std::uint32_t>(
        world.streams > UINT32_MAX / 2 ? UINT32_MAX : 2 * world.streams, 1000));
    if (world.streams > world.channels) {
        problems.push_back(std::string(prefix) + "streams " + std::to_string(world.streams) +
                           " is more than " + std::string(prefix) + "channels " +
                           std::to_string(world.channels));
    }
}

// --youtube-NAME: YouTube's flags share nothing with the other platforms'.
template <typename Bad>
void apply_youtube_flag(youtube::service_config& youtube, std::string_view name,
                        std::string_view value, std::optional<std::uint64_t>& seed,
                        std::vector<std::string>& keys, const Bad& bad) {
    const auto fraction = [&](double& out, double max) {
        double x = 0;
        const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), x);
        if (value.empty() || ec != std::errc{} || ptr != value.data() + value.size() || !(x >= 0) ||
            x > max) {
            return false;
        }
        out = x;
        return true;
    };
    if (name == "channels") {
        if (const auto n = parse_number<std::uint32_t>(value, 2'000'000)) {
            youtube.world.channels = *n;
        } else {
            bad("expected an integer from 0 to 2000000");
        }
    } else if (name == "live-fraction") {
        if (!fraction(youtube.world.live_fraction, 1.0) || youtube.world.live_fraction == 0) {
            bad("expected a number above 0 and at most 1, e.g. 0.05");
        }
    } else if (name == "time-scale") {
        if (!fraction(youtube.time_scale, 1e6)) {
            bad("expected a number from 0 to 1000000, e.g. 1 or 1440 (a day in a minute)");
        }
    } else if (name == "seed") {
        seed = parse_number<std::uint64_t>(value, UINT64_MAX);
        if (!seed) {
            bad("expected a non-negative integer");
        }
    } else if (name == "api-key") {
        if (value.empty() || value.find_first_of(" &?#%+") != std::string_view::npos) {
            bad("must be non-empty and free of spaces and & ? # % +");
        } else {
            keys.emplace_back(value);
        }
    } else if (name == "daily-quota" || name == "search-daily-quota") {
        if (const auto n = parse_number<std::uint64_t>(value, 1'000'000'000'000ULL)) {
            (name == "daily-quota" ? youtube.quota.daily_units : youtube.quota.search_daily_calls) =
                *n;
        } else {
            bad("expected a non-negative integer");
        }
    } else if (name == "feed-requests-per-second") {
        if (const auto n = parse_number<std::uint32_t>(value, 1'000'000)) {
            youtube.feed_requests_per_second = *n;
        } else {
            bad("expected an integer from 0 to 1000000");
        }
    } else if (name == "fault") {
        if (auto rule = parse_fault_spec(value, youtube::default_fault_path)) {
            youtube.faults.push_back(std::move(*rule));
        } else {
            bad(rule.error());
        }
    }
}

template <typename T>
struct choice {
    std::string_view name;
    T value;
};

constexpr choice<kick::retry_after_mode> retry_after_names[] = {
    {"on", kick::retry_after_mode::on},
    {"off", kick::retry_after_mode::off},
    {"random", kick::retry_after_mode::random},
};
constexpr choice<kick::cursor_mode> cursor_names[] = {
    {"offset", kick::cursor_mode::offset},
    {"keyset", kick::cursor_mode::keyset},
};
constexpr choice<kick::last_page_cursor> last_page_names[] = {
    {"empty", kick::last_page_cursor::empty},
    {"absent", kick::last_page_cursor::absent},
    {"random", kick::last_page_cursor::random},
};
constexpr choice<kick::no_category_shape> no_category_names[] = {
    {"zero", kick::no_category_shape::zero},
    {"null", kick::no_category_shape::null},
};

template <typename T, std::size_t N>
bool parse_choice(std::string_view text, const choice<T> (&choices)[N], T& out) {
    for (const auto& c : choices) {
        if (c.name == text) {
            out = c.value;
            return true;
        }
    }
    return false;
}

} // namespace

mock_config parse_command_line(int argc, const char* const* argv,
                               std::vector<std::string>& problems) {
    mock_config config;
    auto& twitch = config.service.twitch;
    auto& kick = config.service.kick;
    auto& youtube = config.service.youtube;
    std::optional<std::uint64_t> kick_seed;
    std::optional<std::uint64_t> youtube_seed;
    std::vector<std::string> youtube_keys;
    platform_flags twitch_flags{
        twitch.world, twitch.client_id, twitch.client_secret,       twitch.rate_limit_per_minute,
        twitch.churn, twitch.faults,    twitch::default_fault_path, {}};
    platform_flags kick_flags{
        kick.world, kick.client_id, kick.client_secret,       kick.rate_limit_per_minute,
        kick.churn, kick.faults,    kick::default_fault_path, {}};
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (!arg.starts_with("--")) {
            problems.push_back("unexpected argument '" + std::string(arg) + "'");
            continue;
        }
        arg.remove_prefix(2);
        const auto eq = arg.find('=');
        const std::string_view name = arg.substr(0, eq);
        const flag* f = find_flag(name);
        if (f == nullptr) {
            problems.push_back("unknown option --" + std::string(name) + " (see --help)");
            continue;
        }
        std::string_view value;
        if (f->value.empty()) {
            if (eq != std::string_view::npos) {
                problems.push_back("--" + std::string(name) + " takes no value");
                continue;
            }
        } else if (eq != std::string_view::npos) {
            value = arg.substr(eq + 1);
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            problems.push_back("--" + std::string(name) + " needs a value (" +
                               std::string(f->value) + ")");
            continue;
        }
        const auto bad = [&](std::string_view why) {
            problems.push_back("--" + std::string(name) + " " + std::string(value) + ": " +
                               std::string(why));
        };
        if (name == "help") {
            config.help = true;
        } else if (name == "verbose") {
            config.verbose = true;
        } else if (name == "listen") {
            if (!parse_listen(value, config)) {
                bad("expected HOST:PORT with an IP address, e.g. 127.0.0.1:0");
            }
        } else if (name == "port-file") {
            config.port_file = std::string(value);
        } else if (name == "tls-cert") {
            config.tls_cert = std::string(value);
        } else if (name == "tls-key") {
            config.tls_key = std::string(value);
        } else if (name == "ca-out") {
            config.ca_out = std::string(value);
        } else if (name == "start-time") {
            if (const auto t = time::parse_rfc3339(value)) {
                twitch.fixed_start = *t;
                kick.fixed_start = *t;
                youtube.fixed_start = *t;
            } else {
                bad("expected an RFC 3339 timestamp, e.g. 2026-11-26T10:00:00Z");
            }
        } else if (name == "followers-forbidden") {
            twitch.followers_forbidden = true;
        } else if (name == "kick-seed") {
            kick_seed = parse_number<std::uint64_t>(value, UINT64_MAX);
            if (!kick_seed) {
                bad("expected a non-negative integer");
            }
        } else if (name == "kick-retry-after") {
            if (!parse_choice(value, retry_after_names, kick.retry_after)) {
                bad("expected on, off or random");
            }
        } else if (name == "kick-cursor") {
            if (!parse_choice(value, cursor_names, kick.listing.cursor)) {
                bad("expected offset or keyset");
            }
        } else if (name == "kick-last-page-cursor") {
            if (!parse_choice(value, last_page_names, kick.listing.last_page)) {
                bad("expected empty, absent or random");
            }
        } else if (name == "kick-no-category") {
            if (!parse_choice(value, no_category_names, kick.listing.no_category)) {
                bad("expected zero or null");
            }
        } else if (name.starts_with("youtube-")) {
            apply_youtube_flag(youtube, name.substr(8), value, youtube_seed, youtube_keys, bad);
        } else if (name.starts_with("kick-")) {
            apply_platform_flag(kick_flags, name.substr(5), value, bad);
        } else {
            apply_platform_flag(twitch_flags, name, value, bad);
        }
    }
    kick.world.seed = kick_seed.value_or(rng::mix(twitch.world.seed ^ 0x6b1c4000ULL));
    youtube.world.seed = youtube_seed.value_or(rng::mix(twitch.world.seed ^ 0x79740000ULL));
    if (!youtube_keys.empty()) {
        youtube.api_keys = std::move(youtube_keys);
    }
    settle_population(twitch_flags, "--", problems);
    settle_population(kick_flags, "--kick-", problems);
    if (config.tls_cert.has_value() != config.tls_key.has_value()) {
        problems.push_back("--tls-cert and --tls-key go together");
    }
    return config;
}

std::string help_text() {
    std::string out =
        "Usage: streamscope-mock [--option VALUE ...]\n\n"
        "Fake streaming platforms over HTTPS on one port, for tests, benchmarks and the demo:\n"
        "Twitch (id.twitch.tv at /oauth2/, Helix at /helix/), Kick (id.kick.com at\n"
        "/oauth/token, its public API at /public/) and YouTube (the Data API v3 at\n"
        "/youtube/v3/, channel feeds at /feeds/videos.xml), each with its own world,\n"
        "credentials, limits and faults. Prints 'listening on https://HOST:PORT' on stdout once it "
        "accepts\n"
        "connections; stops on SIGINT, SIGTERM or POST /_mock/shutdown.\n\nOptions:\n";
    constexpr std::size_t indent = 34;
    constexpr std::size_t width = 100;
    for (const auto& f : flags) {
        std::string line = "  --" + std::string(f.name);
        if (!f.value.empty()) {
            line += ' ';
            line += f.value;
        }
        line.resize(std::max(line.size() + 2, indent), ' ');
        // Word-wrapped to the width, continuation lines under the help column.
        std::string_view rest = f.help;
        while (!rest.empty()) {
            const std::size_t room = width - std::min(width - 20, line.size());
            std::size_t cut = rest.size() <= room ? rest.size() : rest.rfind(' ', room);
            if (cut == std::string_view::npos || cut == 0) {
                cut = std::min(rest.size(), room);
            }
            line += rest.substr(0, cut);
            rest.remove_prefix(cut);
            while (!rest.empty() && rest.front() == ' ') {
                rest.remove_prefix(1);
            }
            out += line + "\n";
            line.assign(indent, ' ');
        }
    }
    out +=
        "\nFault kinds: 5xx reset truncate invalid_json slow revoke_tokens rate_limit_storm\n"
        "invalid_cursor empty_page_with_cursor cursor_loop omit_ratelimit_headers\n"
        "omit_pagination bad_record (Kick only: one record of a page gets a null viewer_count,\n"
        "a numeric tag, a viewer_count beyond int32 or no broadcaster_user; JSON field \"how\").\n"
        "\nAdmin API (no auth, not rate limited). Twitch: POST/GET/DELETE /_mock/faults,\n"
        "GET /_mock/world, POST /_mock/world/tick?n=K, GET /_mock/stats. Kick: POST/GET/DELETE\n"
        "/_mock/kick/faults, GET /_mock/kick/world, POST /_mock/kick/world/tick?n=K,\n"
        "GET /_mock/kick/stats, POST /_mock/kick/tokens/revoke. YouTube: POST/GET/DELETE\n"
        "/_mock/youtube/faults, GET /_mock/youtube/world, POST /_mock/youtube/channel,\n"
        "POST /_mock/youtube/clock/advance?seconds=S, GET/POST/DELETE /_mock/youtube/quota,\n"
        "GET/DELETE /_mock/youtube/stats. All: POST /_mock/shutdown.\n"
        "\nExit codes: 0 stopped, 1 failed (see the log), 2 bad options.\n";
    return out;
}

} // namespace streamscope::platform_mock

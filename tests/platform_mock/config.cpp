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
    {"streams", "N", "live streams at start (default 1000)"},
    {"channels", "M", "channels in total, live and offline (default max(2N, 1000))"},
    {"games", "G", "categories (default 500)"},
    {"seed", "S", "seed of everything random (default 1)"},
    {"client-id", "ID", "the one valid client id (default mock-client-id)"},
    {"client-secret", "SECRET", "its secret (default mock-client-secret)"},
    {"rate-limit-per-minute", "R",
     "token bucket size and refill per minute (default 800, 0 = "
     "unlimited)"},
    {"churn", "", "advance the world one tick before each Get Streams page"},
    {"drift-per-request", "K|P%", "streams with a new viewer count per tick (default 0.5%)"},
    {"end-per-request", "K|P%", "live streams that end per tick (default 0.05%)"},
    {"start-per-request", "K|P%", "offline channels that go live per tick (default 0.05%)"},
    {"start-time", "RFC3339",
     "fix the world's clock (start + 1 s per tick) instead of using "
     "wall time, so that started_at values repeat across runs"},
    {"fault", "SPEC",
     "install a fault rule kind[:count[:after]], e.g. 5xx:3:10 (repeatable; "
     "count 0 = always)"},
    {"followers-forbidden", "", "answer Get Channel Followers with 401 (user token required)"},
    {"verbose", "", "log one line per request to stderr"},
    {"help", "", "this text"},
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

} // namespace

mock_config parse_command_line(int argc, const char* const* argv,
                               std::vector<std::string>& problems) {
    mock_config config;
    std::optional<std::uint32_t> channels;
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
        auto& world = config.service.twitch.world;
        if (name == "help") {
            config.help = true;
        } else if (name == "verbose") {
            config.verbose = true;
        } else if (name == "churn") {
            config.service.twitch.churn = true;
        } else if (name == "followers-forbidden") {
            config.service.twitch.followers_forbidden = true;
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
        } else if (name == "streams" || name == "channels" || name == "games") {
            const auto n = parse_number<std::uint32_t>(value, 20'000'000);
            if (!n) {
                bad("expected an integer from 0 to 20000000");
            } else if (name == "streams") {
                world.streams = *n;
            } else if (name == "channels") {
                channels = *n;
            } else {
                world.games = *n;
            }
        } else if (name == "seed") {
            if (const auto n = parse_number<std::uint64_t>(value, UINT64_MAX)) {
                world.seed = *n;
            } else {
                bad("expected a non-negative integer");
            }
        } else if (name == "client-id" || name == "client-secret") {
            if (value.empty()) {
                bad("must not be empty");
            } else {
                (name == "client-id" ? config.service.twitch.client_id
                                     : config.service.twitch.client_secret) = std::string(value);
            }
        } else if (name == "rate-limit-per-minute") {
            if (const auto n = parse_number<std::uint32_t>(value, 1'000'000'000)) {
                config.service.twitch.rate_limit_per_minute = *n;
            } else {
                bad("expected a non-negative integer");
            }
        } else if (name == "drift-per-request" || name == "end-per-request" ||
                   name == "start-per-request") {
            const auto a = parse_churn(value);
            if (!a) {
                bad("expected a count (e.g. 50) or a percentage of the live streams (e.g. 0.5%)");
            } else {
                (name == "drift-per-request" ? world.drift
                 : name == "end-per-request" ? world.end
                                             : world.start) = *a;
            }
        } else if (name == "start-time") {
            if (const auto t = time::parse_rfc3339(value)) {
                config.service.twitch.fixed_start = *t;
            } else {
                bad("expected an RFC 3339 timestamp, e.g. 2026-11-26T10:00:00Z");
            }
        } else if (name == "fault") {
            if (auto rule = parse_fault_spec(value, twitch::default_fault_path)) {
                config.service.twitch.faults.push_back(std::move(*rule));
            } else {
                problems.push_back("--fault: " + rule.error());
            }
        }
    }
    auto& world = config.service.twitch.world;
    world.channels = channels.value_or(std::max<std::uint32_t>(
        world.streams > UINT32_MAX / 2 ? UINT32_MAX : 2 * world.streams, 1000));
    if (world.streams > world.channels) {
        problems.push_back("--streams " + std::to_string(world.streams) +
                           " is more than --channels " + std::to_string(world.channels));
    }
    if (config.tls_cert.has_value() != config.tls_key.has_value()) {
        problems.push_back("--tls-cert and --tls-key go together");
    }
    return config;
}

std::string help_text() {
    std::string out = "Usage: streamscope-mock [--option VALUE ...]\n\n"
                      "A fake Twitch Helix over HTTPS for tests and benchmarks. Prints\n"
                      "'listening on https://HOST:PORT' on stdout once it accepts connections;\n"
                      "stops on SIGINT, SIGTERM or POST /_mock/shutdown.\n\nOptions:\n";
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
        "omit_pagination. Admin API (no auth, not rate limited): POST/GET/DELETE /_mock/faults,\n"
        "GET /_mock/world, POST /_mock/world/tick?n=K, GET /_mock/stats, POST /_mock/shutdown.\n"
        "\nExit codes: 0 stopped, 1 failed (see the log), 2 bad options.\n";
    return out;
}

} // namespace streamscope::platform_mock

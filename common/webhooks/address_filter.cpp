#include "common/webhooks/address_filter.hpp"

#include <array>
#include <charconv>
#include <cstdint>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>

#include "common/text/ascii_case.hpp"

namespace streamscope::webhooks {
namespace asio = boost::asio;
using asio::ip::address_v4;
using asio::ip::address_v6;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr std::size_t longest_target_url = 2048;

struct v4_range {
    std::uint32_t first;
    int prefix;
    std::string_view why;
};

constexpr std::uint32_t v4(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d) {
    return a << 24 | b << 16 | c << 8 | d;
}

// Most specific first: the first range that holds an address names its refusal.
constexpr std::array<v4_range, 12> refused_v4{{
    {v4(169, 254, 169, 254), 32, "cloud metadata"},
    {v4(255, 255, 255, 255), 32, "broadcast"},
    {v4(0, 0, 0, 0), 32, "unspecified"},
    {v4(0, 0, 0, 0), 8, "\"this network\" (0.0.0.0/8)"},
    {v4(10, 0, 0, 0), 8, "private"},
    {v4(100, 64, 0, 0), 10, "shared (CGNAT)"},
    {v4(127, 0, 0, 0), 8, "loopback"},
    {v4(169, 254, 0, 0), 16, "link-local"},
    {v4(172, 16, 0, 0), 12, "private"},
    {v4(192, 168, 0, 0), 16, "private"},
    {v4(224, 0, 0, 0), 4, "multicast"},
    {v4(240, 0, 0, 0), 4, "reserved"},
}};

std::optional<std::string> refusal_of_v4(const address_v4& address) {
    const std::uint32_t bits = address.to_uint();
    for (const auto& range : refused_v4) {
        const std::uint32_t mask = range.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - range.prefix);
        if ((bits & mask) == range.first) {
            return std::string(range.why);
        }
    }
    return std::nullopt;
}

address_v4 v4_at(const address_v6::bytes_type& bytes, std::size_t at) {
    return address_v4(
        address_v4::bytes_type{bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]});
}

bool has_prefix(const address_v6::bytes_type& bytes, std::initializer_list<unsigned> head) {
    std::size_t i = 0;
    for (const unsigned b : head) {
        if (bytes[i++] != b) {
            return false;
        }
    }
    return true;
}

// The IPv4 address an IPv6 address carries in one of the forms that reach IPv4 hosts, if any.
std::optional<std::pair<address_v4, std::string_view>> carried_v4(const address_v6& address) {
    const auto bytes = address.to_bytes();
    if (address.is_v4_mapped()) {
        return std::pair{v4_at(bytes, 12), std::string_view("IPv4-mapped")};
    }
    if (has_prefix(bytes, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})) {
        return std::pair{v4_at(bytes, 12), std::string_view("IPv4-compatible")};
    }
    if (has_prefix(bytes, {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) {
        return std::pair{v4_at(bytes, 12), std::string_view("NAT64")};
    }
    if (has_prefix(bytes, {0x20, 0x02})) {
        return std::pair{v4_at(bytes, 2), std::string_view("6to4")};
    }
    return std::nullopt;
}

std::optional<std::string> refusal_of_v6(const address_v6& address) {
    if (address.is_unspecified()) {
        return "unspecified";
    }
    if (address.is_loopback()) {
        return "loopback";
    }
    if (const auto carried = carried_v4(address)) {
        if (auto why = refusal_of_v4(carried->first)) {
            return *why + " (" + std::string(carried->second) + " " + carried->first.to_string() +
                   ")";
        }
        return std::nullopt;
    }
    const auto bytes = address.to_bytes();
    if (bytes[0] == 0xff) {
        return "multicast";
    }
    if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80) {
        return "link-local";
    }
    if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0xc0) {
        return "site-local";
    }
    if ((bytes[0] & 0xfe) == 0xfc) {
        return "unique-local";
    }
    return std::nullopt;
}

url_refusal refusal(std::string_view url, std::string_view why) {
    return {std::string(url.substr(0, 200)) + ": " + std::string(why)};
}

bool is_localhost(std::string_view host) {
    const std::string lower = text::ascii_lower(host);
    std::string_view name = lower;
    if (name.ends_with('.')) {
        name.remove_suffix(1);
    }
    return name == "localhost" || name.ends_with(".localhost");
}

std::string refused_host_message(std::string_view host, const std::vector<std::string>& whys) {
    std::string message = "webhook target " + std::string(host) + " refused:";
    if (whys.empty()) {
        return message + " it resolves to no address";
    }
    for (std::size_t i = 0; i < whys.size(); ++i) {
        message += (i == 0 ? " " : ", ") + whys[i];
    }
    return message + " (WEBHOOK_ALLOW_PRIVATE_TARGETS=true allows such addresses)";
}

std::string address_refusal_line(const asio::ip::address& address, std::string_view why) {
    return address.to_string() + " is " + std::string(why);
}

} // namespace

void throw_exception_from_error(const url_refusal& e, const boost::source_location&) {
    throw refused_target(e.message);
}

std::optional<std::string> refusal_of(const asio::ip::address& address) {
    return address.is_v4() ? refusal_of_v4(address.to_v4()) : refusal_of_v6(address.to_v6());
}

boost::system::result<target_url, url_refusal> check_url(std::string_view url, bool allow_private) {
    if (url.size() > longest_target_url) {
        return refusal(url, "longer than 2,048 characters");
    }
    const auto parsed = boost::urls::parse_uri(url);
    if (!parsed) {
        return refusal(url, "not an absolute URL");
    }
    const std::string scheme = text::ascii_lower(parsed->scheme());
    if (scheme != "https" && !(scheme == "http" && allow_private)) {
        return refusal(url, allow_private ? "not http or https" : "not https");
    }
    if (parsed->has_userinfo()) {
        return refusal(url, "a user name or password in the URL");
    }
    target_url out;
    out.tls = scheme == "https";
    switch (parsed->host_type()) {
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::ipv6:
    case boost::urls::host_type::name:
        out.host = parsed->host_address();
        break;
    default:
        return refusal(url, "no host, or a host that is neither a name nor an IP address");
    }
    if (out.host.empty()) {
        return refusal(url, "no host");
    }
    if (parsed->has_port()) {
        const std::string_view port = parsed->port();
        unsigned number = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
        if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || number < 1 ||
            number > 65535) {
            return refusal(url, "a port outside 1-65535");
        }
        out.port = std::to_string(number);
    } else {
        out.port = out.tls ? "443" : "80";
    }
    if (!allow_private) {
        if (is_localhost(out.host)) {
            return refusal(url, "localhost");
        }
        boost::system::error_code not_literal;
        const auto literal = asio::ip::make_address(out.host, not_literal);
        if (!not_literal) {
            if (const auto why = refusal_of(literal)) {
                return refusal(url, address_refusal_line(literal, *why));
            }
        }
    }
    out.target = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
    if (parsed->has_query()) {
        out.target += "?" + std::string(parsed->encoded_query());
    }
    return out;
}

asio::awaitable<std::vector<asio::ip::tcp::endpoint>>
resolve_allowed(std::string host, std::string port, bool allow_private,
                std::chrono::milliseconds deadline) {
    const auto executor = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver{executor};
    asio::steady_timer timer{executor, deadline};
    auto resolved = co_await (resolver.async_resolve(host, port, asio::use_awaitable) ||
                              timer.async_wait(asio::use_awaitable));
    if (resolved.index() == 1) {
        throw boost::system::system_error(asio::error::timed_out, "resolving " + host);
    }
    std::vector<asio::ip::tcp::endpoint> allowed;
    std::vector<std::string> whys;
    for (const auto& entry : std::get<0>(resolved)) {
        const auto endpoint = entry.endpoint();
        std::optional<std::string> why;
        if (!allow_private) {
            why = refusal_of(endpoint.address());
        }
        if (why) {
            whys.push_back(address_refusal_line(endpoint.address(), *why));
        } else {
            allowed.push_back(endpoint);
        }
    }
    if (allowed.empty()) {
        throw refused_target(refused_host_message(host, whys));
    }
    co_return allowed;
}

} // namespace streamscope::webhooks

#include "api/auth/client_address.hpp"

#include <array>
#include <charconv>

#include "common/text/trim.hpp"

namespace streamscope::api {
namespace {

namespace ip = boost::asio::ip;

// IPv4 clients of a server listening on :: arrive as ::ffff:a.b.c.d: the same client.
ip::address plain(const ip::address& a) {
    if (a.is_v6() && a.to_v6().is_v4_mapped()) {
        return ip::make_address_v4(ip::v4_mapped, a.to_v6());
    }
    return a;
}

// The address's bytes, for prefix comparison.
std::array<unsigned char, 16> bytes_of(const ip::address& a, std::size_t& size) {
    std::array<unsigned char, 16> out{};
    if (a.is_v4()) {
        const auto b = a.to_v4().to_bytes();
        std::copy(b.begin(), b.end(), out.begin());
        size = 4;
    } else {
        out = a.to_v6().to_bytes();
        size = 16;
    }
    return out;
}

} // namespace

std::optional<trusted_proxies> trusted_proxies::parse(const std::vector<std::string>& entries,
                                                      std::string& bad) {
    trusted_proxies out;
    for (const std::string& entry : entries) {
        const auto slash = entry.find('/');
        boost::system::error_code ec;
        const ip::address base = ip::make_address(entry.substr(0, slash), ec);
        unsigned prefix = base.is_v4() ? 32 : 128;
        if (!ec && slash != std::string::npos) {
            const std::string_view digits = std::string_view(entry).substr(slash + 1);
            unsigned n = 0;
            const auto [end, err] =
                std::from_chars(digits.data(), digits.data() + digits.size(), n);
            if (err != std::errc{} || end != digits.data() + digits.size() || n > prefix ||
                digits.empty()) {
                ec = std::make_error_code(std::errc::invalid_argument);
            }
            prefix = n;
        }
        if (ec) {
            bad = entry;
            return std::nullopt;
        }
        out.networks_.push_back({plain(base), prefix});
    }
    return out;
}

bool trusted_proxies::contains(const ip::address& address) const {
    const ip::address a = plain(address);
    std::size_t size = 0;
    const auto bytes = bytes_of(a, size);
    for (const network& n : networks_) {
        if (n.base.is_v4() != a.is_v4()) {
            continue;
        }
        std::size_t base_size = 0;
        const auto base = bytes_of(n.base, base_size);
        unsigned left = n.prefix;
        bool same = true;
        for (std::size_t i = 0; i < size && left > 0 && same; ++i) {
            const unsigned bits = std::min(left, 8u);
            const auto mask = static_cast<unsigned char>(0xff << (8 - bits));
            same = (bytes[i] & mask) == (base[i] & mask);
            left -= bits;
        }
        if (same) {
            return true;
        }
    }
    return false;
}

ip::address client_address(const http::request& req, const ip::address& peer,
                           const trusted_proxies& proxies) {
    ip::address client = plain(peer);
    if (proxies.empty() || !proxies.contains(client)) {
        return client;
    }
    // Each proxy appends the address it got the request from: the nearest is last. Several
    // headers count as one list, in order.
    std::string forwarded;
    for (auto [it, end] = req.equal_range("X-Forwarded-For"); it != end; ++it) {
        forwarded += forwarded.empty() ? "" : ",";
        forwarded += it->value();
    }
    std::string_view rest = forwarded;
    while (!rest.empty() && proxies.contains(client)) {
        const auto comma = rest.rfind(',');
        const std::string_view entry =
            text::trim_blanks(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
        boost::system::error_code ec;
        const ip::address next = ip::make_address(std::string(entry), ec);
        if (ec) {
            break; // not an address: what the proxies vouch for ends here
        }
        client = plain(next);
    }
    return client;
}

} // namespace streamscope::api

#pragma once
// Which webhook targets the collector may contact. A subscription names any URL, so without a
// check it could make the collector probe the operator's own network (the database, the
// metrics port, a cloud's metadata service at 169.254.169.254). Loopback, private, link-local,
// shared (CGNAT), multicast, broadcast and reserved addresses are refused, in IPv6 too and in
// IPv6 forms that carry an IPv4 address; WEBHOOK_ALLOW_PRIVATE_TARGETS (tests, a closed
// network) allows them, and plain http with them. The check is made on the addresses the name
// resolves to, and the caller connects to exactly those, so a name that resolves to a public
// address when checked cannot resolve to a private one when connected (DNS rebinding).

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

namespace streamscope::webhooks {

// A target that may not be contacted, and why ("webhook target 10.0.0.5 refused: 10.0.0.5 is
// private ..."). Retrying cannot help: the subscription is what is wrong.
class refused_target : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Why a URL is refused: "https://10.0.0.5/hook: 10.0.0.5 is private". (value() on a refused
// check_url throws it as a refused_target.)
struct url_refusal {
    std::string message;
};
[[noreturn]] void throw_exception_from_error(const url_refusal& e,
                                             const boost::source_location& loc);

// Why a webhook may not contact `address` ("loopback", "private", "cloud metadata", ...), or
// nullopt for a public unicast address. IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
// (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are judged by the IPv4
// address they carry.
std::optional<std::string> refusal_of(const boost::asio::ip::address& address);

// A webhook URL taken apart for the connection.
struct target_url {
    bool tls = true;    // https; plain http only with allow_private
    std::string host;   // a name, or an IP literal without brackets
    std::string port;   // "443" or "80" when the URL names none
    std::string target; // the path and query as sent in the request line, "/" at least
};

// `url` when a webhook may be sent there: absolute, https (http too with allow_private), a
// host, no user name or password (they would travel with every delivery), a port of 1-65535,
// at most 2,048 characters. Without allow_private, an IP literal host must be public and
// "localhost" and names under .localhost are refused. A fragment is dropped. Otherwise the
// refusal says why, naming the URL.
boost::system::result<target_url, url_refusal> check_url(std::string_view url, bool allow_private);

// The addresses of host:port that a webhook may contact (all of them with allow_private), in
// the resolver's order: the caller connects to one of these, never resolves again. Throws
// refused_target naming the host and each address's refusal when none may be contacted;
// boost::system::system_error when the name does not resolve, or timed_out when resolving
// takes longer than `deadline`.
boost::asio::awaitable<std::vector<boost::asio::ip::tcp::endpoint>>
resolve_allowed(std::string host, std::string port, bool allow_private,
                std::chrono::milliseconds deadline);

} // namespace streamscope::webhooks

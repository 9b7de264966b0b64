#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include "common/webhooks/address_filter.hpp"

using namespace streamscope::webhooks;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

std::optional<std::string> refusal(const std::string& address) {
    return refusal_of(asio::ip::make_address(address));
}

std::vector<asio::ip::tcp::endpoint> resolve(const std::string& host, bool allow_private) {
    asio::io_context io;
    auto done =
        asio::co_spawn(io, resolve_allowed(host, "443", allow_private, 5s), asio::use_future);
    io.run();
    return done.get();
}

std::string refusal_message(const std::string& host) {
    try {
        resolve(host, false);
    } catch (const refused_target& e) {
        return e.what();
    }
    return "(not refused)";
}

std::string why_refused(std::string_view url, bool allow_private = false) {
    const auto checked = check_url(url, allow_private);
    return checked ? "(not refused)" : checked.error().message;
}

} // namespace

TEST_CASE("every refused IPv4 range, at both ends", "[unit][webhooks]") {
    const std::pair<std::string, std::string> refused[] = {
        {"0.0.0.0", "unspecified"},
        {"0.0.0.1", "\"this network\" (0.0.0.0/8)"},
        {"0.255.255.255", "\"this network\" (0.0.0.0/8)"},
        {"10.0.0.0", "private"},
        {"10.255.255.255", "private"},
        {"100.64.0.0", "shared (CGNAT)"},
        {"100.127.255.255", "shared (CGNAT)"},
        {"127.0.0.1", "loopback"},
        {"127.255.255.255", "loopback"},
        {"169.254.0.0", "link-local"},
        {"169.254.255.255", "link-local"},
        {"169.254.169.254", "cloud metadata"},
        {"172.16.0.0", "private"},
        {"172.31.255.255", "private"},
        {"192.168.0.0", "private"},
        {"192.168.255.255", "private"},
        {"224.0.0.1", "multicast"},
        {"239.255.255.255", "multicast"},
        {"240.0.0.0", "reserved"},
        {"255.255.255.254", "reserved"},
        {"255.255.255.255", "broadcast"},
    };
    for (const auto& [address, why] : refused) {
        INFO(address);
        CHECK(refusal(address) == why);
    }
    // The public neighbours of each range.
    for (const std::string address :
         {"1.0.0.0", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
          "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255",
          "172.32.0.0", "192.167.255.255", "192.169.0.0", "223.255.255.255", "8.8.8.8"}) {
        INFO(address);
        CHECK_FALSE(refusal(address));
    }
}

TEST_CASE("every refused IPv6 range, and IPv4 inside IPv6", "[unit][webhooks]") {
    const std::pair<std::string, std::string> refused[] = {
        {"::", "unspecified"},
        {"::1", "loopback"},
        {"fe80::", "link-local"},
        {"febf:ffff::1", "link-local"},
        {"fec0::1", "site-local"},
        {"fc00::", "unique-local"},
        {"fdff:ffff::1", "unique-local"},
        {"fd00:ec2::254", "unique-local"}, // a cloud's IPv6 metadata service
        {"ff02::1", "multicast"},
        {"ff0e::1", "multicast"},
        {"::ffff:127.0.0.1", "loopback (IPv4-mapped 127.0.0.1)"},
        {"::ffff:10.1.2.3", "private (IPv4-mapped 10.1.2.3)"},
        {"::ffff:169.254.169.254", "cloud metadata (IPv4-mapped 169.254.169.254)"},
        {"::ffff:0.0.0.0", "unspecified (IPv4-mapped 0.0.0.0)"},
        {"::ffff:255.255.255.255", "broadcast (IPv4-mapped 255.255.255.255)"},
        {"::127.0.0.1", "loopback (IPv4-compatible 127.0.0.1)"},
        {"::192.168.1.1", "private (IPv4-compatible 192.168.1.1)"},
        {"::0.0.0.2", "\"this network\" (0.0.0.0/8) (IPv4-compatible 0.0.0.2)"},
        {"64:ff9b::10.0.0.1", "private (NAT64 10.0.0.1)"},
        {"2002:7f00:1::1", "loopback (6to4 127.0.0.1)"},
        {"2002:a9fe:a9fe::", "cloud metadata (6to4 169.254.169.254)"},
    };
    for (const auto& [address, why] : refused) {
        INFO(address);
        CHECK(refusal(address) == why);
    }
    for (const std::string address :
         {"2606:4700:4700::1111", "2a00:1450:4001::200e", "fbff:ffff::1", "fe7f::1", "2001:db8::1",
          "::ffff:8.8.8.8", "::8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"}) {
        INFO(address);
        CHECK_FALSE(refusal(address));
    }
}

TEST_CASE("webhook URLs: https, a host, no credentials, a real port", "[unit][webhooks]") {
    const auto plain = check_url("https://hooks.example.com/in/abc?x=1&y=%20", false);
    REQUIRE(plain.has_value());
    CHECK(plain->tls);
    CHECK(plain->host == "hooks.example.com");
    CHECK(plain->port == "443");
    CHECK(plain->target == "/in/abc?x=1&y=%20");

    const auto bare = check_url("HTTPS://Example.COM:8443#fragment", false);
    REQUIRE(bare.has_value());
    CHECK(bare->host == "Example.COM");
    CHECK(bare->port == "8443");
    CHECK(bare->target == "/");

    const auto v6 = check_url("https://[2606:4700:4700::1111]:444/x", false);
    REQUIRE(v6.has_value());
    CHECK(v6->host == "2606:4700:4700::1111");
    CHECK(v6->port == "444");

    CHECK(why_refused("http://hooks.example.com/") == "http://hooks.example.com/: not https");
    CHECK(why_refused("ftp://hooks.example.com/") == "ftp://hooks.example.com/: not https");
    CHECK(why_refused("ftp://hooks.example.com/", true) ==
          "ftp://hooks.example.com/: not http or https");
    CHECK(why_refused("https://user:pw@hooks.example.com/") ==
          "https://user:pw@hooks.example.com/: a user name or password in the URL");
    CHECK(
        why_refused("https://@hooks.example.com/").ends_with("a user name or password in the URL"));
    CHECK(why_refused("https://hooks.example.com:0/").ends_with("a port outside 1-65535"));
    CHECK(why_refused("https://hooks.example.com:65536/").ends_with("a port outside 1-65535"));
    CHECK(
        why_refused("https://hooks.example.com:99999999999/").ends_with("a port outside 1-65535"));
    CHECK(why_refused("https://hooks.example.com:/").ends_with("a port outside 1-65535"));
    CHECK(check_url("https://hooks.example.com:65535/", false).has_value());
    CHECK(check_url("https://hooks.example.com:1/", false).has_value());
    CHECK(why_refused("https:///path").ends_with("no host"));
    CHECK(why_refused("https://[v1.fe80::a]/").ends_with("neither a name nor an IP address"));
    CHECK(why_refused("/relative/path").ends_with("not an absolute URL"));
    CHECK(why_refused("https://exa mple.com/").ends_with("not an absolute URL"));
    CHECK(why_refused("https://example.com/\r\nHost: evil").ends_with("not an absolute URL"));
    CHECK(why_refused("https://example.com/" + std::string(2100, 'a'))
              .ends_with("longer than 2,048 characters"));
}

TEST_CASE("webhook URLs naming a private host are refused unless allowed", "[unit][webhooks]") {
    CHECK(why_refused("https://127.0.0.1/hook") == "https://127.0.0.1/hook: 127.0.0.1 is loopback");
    CHECK(why_refused("https://[::ffff:10.0.0.1]/") ==
          "https://[::ffff:10.0.0.1]/: ::ffff:10.0.0.1 is private (IPv4-mapped 10.0.0.1)");
    CHECK(why_refused("https://169.254.169.254/latest/meta-data/")
              .ends_with("169.254.169.254 is cloud metadata"));
    CHECK(why_refused("https://[fe80::1]/").ends_with("fe80::1 is link-local"));
    CHECK(why_refused("https://localhost/").ends_with("localhost"));
    CHECK(why_refused("https://LocalHost./").ends_with("localhost"));
    CHECK(why_refused("https://api.localhost:8000/").ends_with("localhost"));
    CHECK(check_url("https://localhost.example.com/", false).has_value());

    // WEBHOOK_ALLOW_PRIVATE_TARGETS: all of them, and plain http.
    const auto local = check_url("http://127.0.0.1:8099/hook?a=b", true);
    REQUIRE(local.has_value());
    CHECK_FALSE(local->tls);
    CHECK(local->host == "127.0.0.1");
    CHECK(local->port == "8099");
    CHECK(local->target == "/hook?a=b");
    CHECK(check_url("http://localhost/", true)->port == "80");
    CHECK(check_url("https://[::1]/", true)->host == "::1");
}

TEST_CASE("resolved addresses are checked, and only allowed ones returned", "[unit][webhooks]") {
    CHECK(refusal_message("127.0.0.1") ==
          "webhook target 127.0.0.1 refused: 127.0.0.1 is loopback "
          "(WEBHOOK_ALLOW_PRIVATE_TARGETS=true allows such addresses)");
    CHECK(refusal_message("::ffff:169.254.169.254")
              .starts_with("webhook target ::ffff:169.254.169.254 refused: ::ffff:169.254.169.254 "
                           "is cloud metadata (IPv4-mapped 169.254.169.254)"));
    // A name is judged by every address it resolves to (/etc/hosts: 127.0.0.1, maybe ::1).
    CHECK(refusal_message("localhost").starts_with("webhook target localhost refused: "));
    CHECK(refusal_message("localhost").find("127.0.0.1 is loopback") != std::string::npos);
    // inet_aton's forms of 127.0.0.1 are numbers to the resolver, and refused as what they are.
    for (const std::string sneaky : {"2130706433", "0x7f.1", "127.1"}) {
        INFO(sneaky);
        CHECK(refusal_message(sneaky).find("127.0.0.1 is loopback") != std::string::npos);
    }

    const auto public_v4 = resolve("8.8.8.8", false);
    REQUIRE(public_v4.size() == 1);
    CHECK(public_v4[0] == asio::ip::tcp::endpoint(asio::ip::make_address("8.8.8.8"), 443));

    const auto allowed = resolve("localhost", true);
    REQUIRE_FALSE(allowed.empty());
    for (const auto& endpoint : allowed) {
        CHECK(endpoint.address().is_loopback());
        CHECK(endpoint.port() == 443);
    }
    CHECK(resolve("10.1.2.3", true).size() == 1);
}

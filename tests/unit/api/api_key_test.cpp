#include <set>

#include <catch2/catch.hpp>

#include "api/auth/api_key.hpp"
#include "api/auth/guard.hpp"
#include "api/auth/key_admin.hpp"

using namespace streamscope::api;
namespace http = streamscope::http;

TEST_CASE("a new key is 256 random bits behind a recognisable prefix", "[unit][api][keys]") {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const new_key k = make_key();
        CHECK(k.key.size() == 4 + 43);
        CHECK(k.key.starts_with("ssk_"));
        CHECK(k.key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789-_",
                                      4) == std::string::npos);
        CHECK(k.prefix == k.key.substr(0, 12));
        CHECK(k.hash == key_hash(k.key));
        CHECK(k.hash.size() == 32);
        seen.insert(k.key);
    }
    CHECK(seen.size() == 100);
    // SHA-256 of "abc", the standard's own test vector.
    CHECK(key_hash("abc") == std::string("\xba\x78\x16\xbf\x8f\x01\xcf\xea\x41\x41\x40\xde\x5d"
                                         "\xae\x22\x23\xb0\x03\x61\xa3\x96\x17\x7a\x9c\xb4\x10"
                                         "\xff\x61\xf2\x00\x15\xad",
                                         32));
}

TEST_CASE("a request carries its key as a bearer token or in X-API-Key", "[unit][api][keys]") {
    http::request req;
    CHECK_FALSE(key_of(req));
    req.set("X-API-Key", " ssk_one ");
    CHECK(key_of(req) == "ssk_one");
    req.set(boost::beast::http::field::authorization, "Bearer ssk_two");
    CHECK(key_of(req) == "ssk_two"); // Authorization first
    req.set(boost::beast::http::field::authorization, "bearer   ssk_three");
    CHECK(key_of(req) == "ssk_three");
    req.set(boost::beast::http::field::authorization, "Basic dXNlcjpwYXNz");
    CHECK(key_of(req) == ""); // a header that holds no key of ours: refused, not anonymous
}

TEST_CASE("every scope reads; export, webhooks and admin add their own", "[unit][api][keys]") {
    CHECK(allows(scope::read, scope::read));
    CHECK_FALSE(allows(scope::read, scope::export_data));
    CHECK_FALSE(allows(scope::read, scope::admin));
    CHECK(allows(scope::export_data, scope::read));
    CHECK(allows(scope::export_data, scope::export_data));
    CHECK_FALSE(allows(scope::export_data, scope::webhooks));
    CHECK_FALSE(allows(scope::webhooks, scope::export_data));
    CHECK(allows(scope::webhooks, scope::webhooks));
    CHECK_FALSE(allows(scope::export_data, scope::admin));
    for (const scope s : {scope::read, scope::export_data, scope::webhooks, scope::admin}) {
        CHECK(allows(scope::admin, s));
        CHECK(parse_scope(to_string(s)) == s);
    }
    CHECK_FALSE(parse_scope("Admin"));
    CHECK(parse_auth_mode("open-read") == auth_mode::open_read);
    CHECK_FALSE(parse_auth_mode("on"));
}

TEST_CASE("a key request needs a name and a future expiry", "[unit][api][keys]") {
    using namespace std::chrono;
    const auto now = time_point_cast<microseconds>(sys_days{2026y / 12 / 7});
    CHECK(parse_expiry("2027-01-01") == time_point_cast<microseconds>(sys_days{2027y / 1 / 1}));
    CHECK(parse_expiry("2027-01-01T12:00:00+02:00") ==
          time_point_cast<microseconds>(sys_days{2027y / 1 / 1}) + 10h);
    CHECK_FALSE(parse_expiry("2027-13-01"));
    CHECK_FALSE(parse_expiry("tomorrow"));
    key_request r{.name = "team", .allowed = scope::read, .expires_at = std::nullopt};
    CHECK_FALSE(key_request_problem(r, now));
    r.expires_at = now - 1s;
    CHECK(key_request_problem(r, now)->starts_with("expires"));
    r.expires_at = std::nullopt;
    r.name = "";
    CHECK(key_request_problem(r, now)->starts_with("name"));
    r.name = std::string(201, 'x');
    CHECK(key_request_problem(r, now)->starts_with("name"));
}

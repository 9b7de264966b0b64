#include <string>

#include <catch2/catch.hpp>

#include "collector/webhooks/smtp_relay.hpp"

using namespace streamscope::webhooks;
using security = smtp_relay::security;

namespace {

std::string problem(std::string_view url) {
    const auto parsed = smtp_relay::parse(url);
    return parsed ? "(none)" : parsed.error().message;
}

} // namespace

TEST_CASE("SMTP_URL: STARTTLS on 587 by default, implicit TLS on 465", "[unit][webhooks]") {
    const auto plain = smtp_relay::parse("smtp://relay.example.com");
    REQUIRE(plain.has_value());
    CHECK(plain->tls == security::starttls);
    CHECK(plain->host == "relay.example.com");
    CHECK(plain->port == "587");
    CHECK(plain->user.empty());
    CHECK(plain->password.empty());
    CHECK(plain->to_string() == "smtp://relay.example.com:587");

    const auto with_user =
        smtp_relay::parse("smtp://alerts%40example.com:p%40ss:w0rd@10.0.0.5:2525/");
    REQUIRE(with_user.has_value());
    CHECK(with_user->user == "alerts@example.com");
    CHECK(with_user->password.reveal() == "p@ss:w0rd");
    CHECK(with_user->port == "2525");
    CHECK(with_user->to_string() == "smtp://10.0.0.5:2525"); // never the credentials

    const auto tls = smtp_relay::parse("SMTPS://user:secret@[::1]");
    REQUIRE(tls.has_value());
    CHECK(tls->tls == security::implicit_tls);
    CHECK(tls->host == "::1");
    CHECK(tls->port == "465");
    CHECK(tls->to_string() == "smtps://[::1]:465");

    const auto clear = smtp_relay::parse("smtp://127.0.0.1:2525?starttls=off");
    REQUIRE(clear.has_value());
    CHECK(clear->tls == security::none);
    CHECK(clear->to_string() == "smtp://127.0.0.1:2525?starttls=off");
    CHECK(smtp_relay::parse("smtp://127.0.0.1?starttls=on")->tls == security::starttls);
}

TEST_CASE("SMTP_URL mistakes are named, never with the password", "[unit][webhooks]") {
    CHECK(problem("relay.example.com").starts_with("SMTP_URL is not a URL"));
    CHECK(problem("https://relay.example.com").starts_with("SMTP_URL must start with smtp://"));
    CHECK(problem("smtp://").starts_with("SMTP_URL names no host"));
    CHECK(problem("smtp://relay:0").starts_with("SMTP_URL has a port outside 1-65535"));
    CHECK(problem("smtp://relay:70000").starts_with("SMTP_URL has a port outside 1-65535"));
    CHECK(problem("smtp://relay/path").starts_with("SMTP_URL has a path"));
    CHECK(problem("smtp://relay?starttls=no").starts_with("SMTP_URL takes no parameter"));
    CHECK(problem("smtps://relay?starttls=off").starts_with("SMTP_URL takes no parameter"));
    CHECK(problem("smtp://relay?debug=1").starts_with("SMTP_URL takes no parameter"));
    for (const std::string url : {"smtp://user@relay", "smtp://user:@relay",
                                  "smtp://:hunter2@relay", "smtp://user:hunter2@relay:99999",
                                  "smtp://user:hunter2@relay/x", "smtp://user:hunter2@relay#f"}) {
        INFO(url);
        const std::string message = problem(url);
        CHECK(message != "(none)");
        CHECK(message.find("hunter2") == std::string::npos);
    }
}

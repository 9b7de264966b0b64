#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "collector/webhooks/mail_message.hpp"
#include "common/text/base64.hpp"

using namespace streamscope::webhooks;

namespace {

// 2026-12-07T23:00:00Z, a Monday.
const auto date = std::chrono::system_clock::time_point(std::chrono::seconds(1796684400));

mail sample(std::string subject, std::string text) {
    return {"alerts@example.com",
            {"one@example.com", "two@example.org"},
            std::move(subject),
            std::move(text)};
}

std::string headers_of(const std::string& message) {
    return message.substr(0, message.find("\r\n\r\n") + 2);
}

std::string body_of(const std::string& message) {
    return message.substr(message.find("\r\n\r\n") + 4);
}

} // namespace

TEST_CASE("a notification as RFC 5322 text", "[unit][webhooks]") {
    const std::string message = compose_message(
        sample("xQc is live on Twitch", "xQc is live on Twitch: REACT ANDY\n\nViewers: 45,210\n"),
        date, "<abc@example.com>");
    CHECK(message == "From: alerts@example.com\r\n"
                     "To: one@example.com, two@example.org\r\n"
                     "Subject: xQc is live on Twitch\r\n"
                     "Date: Mon, 07 Dec 2026 23:00:00 +0000\r\n"
                     "Message-ID: <abc@example.com>\r\n"
                     "MIME-Version: 1.0\r\n"
                     "Content-Type: text/plain; charset=utf-8\r\n"
                     "Content-Transfer-Encoding: quoted-printable\r\n"
                     "\r\n"
                     "xQc is live on Twitch: REACT ANDY\r\n"
                     "\r\n"
                     "Viewers: 45,210\r\n");
}

TEST_CASE("no subject can add a header line", "[unit][webhooks]") {
    const std::string headers = headers_of(compose_message(
        sample("Evil\r\nBcc: victim@example.com\nX-Injected: 1\r", "body"), date, "<id@x>"));
    CHECK(headers.find("\r\nBcc:") == std::string::npos);
    CHECK(headers.find("\r\nX-Injected") == std::string::npos);
    CHECK(headers.find("Subject: Evil  Bcc: victim@example.com X-Injected: 1\r\n") !=
          std::string::npos);
    // Every line break is CRLF: no bare CR or LF.
    for (std::size_t i = 0; i < headers.size(); ++i) {
        if (headers[i] == '\n') {
            REQUIRE(i > 0);
            CHECK(headers[i - 1] == '\r');
        }
        if (headers[i] == '\r') {
            CHECK(headers[i + 1] == '\n');
        }
    }
}

TEST_CASE("subjects beyond ASCII go into encoded-words of whole characters", "[unit][webhooks]") {
    const std::string subject = "🎮 Ninja est en direct sur Twitch : Fortnite à 100 000 spectateurs";
    const std::string headers = headers_of(compose_message(sample(subject, "x"), date, "<i@x>"));
    const auto start = headers.find("Subject: ");
    const auto end = headers.find("\r\nDate:");
    const std::string header = headers.substr(start, end - start);
    // Decode the encoded-words back: every one whole, the subject unchanged.
    std::string decoded;
    std::size_t at = 0;
    int words = 0;
    while ((at = header.find("=?UTF-8?B?", at)) != std::string::npos) {
        const auto close = header.find("?=", at + 10);
        REQUIRE(close != std::string::npos);
        const auto bytes =
            streamscope::text::base64::decode(header.substr(at + 10, close - at - 10));
        REQUIRE(bytes);
        decoded += *bytes;
        at = close + 2;
        ++words;
    }
    CHECK(decoded == subject);
    CHECK(words >= 2);
    // Folded: each line within 76 characters, continuation lines starting with a blank.
    std::size_t line_start = 0;
    while (line_start < header.size()) {
        const auto line_end = std::min(header.find("\r\n", line_start), header.size());
        CHECK(line_end - line_start <= 76);
        if (line_start > 0) {
            CHECK(header[line_start] == ' ');
        }
        line_start = line_end + 2;
    }
    // ASCII with "=?" is encoded too, so that it reads as written.
    CHECK(headers_of(compose_message(sample("a =?x?= b", "x"), date, "<i@x>"))
              .find("Subject: =?UTF-8?B?") != std::string::npos);
    // A long plain subject is folded at blanks.
    const std::string long_subject =
        "xQc is live on Twitch: a very long title that goes on and on and on past the width";
    const std::string folded =
        headers_of(compose_message(sample(long_subject, "x"), date, "<i@x>"));
    CHECK(folded.find("Subject: xQc is live on Twitch: a very long title that goes on and on "
                      "and on\r\n past the width\r\n") != std::string::npos);
}

TEST_CASE("the body in quoted-printable, lines within 76", "[unit][webhooks]") {
    const std::string body =
        body_of(compose_message(sample("s", "caf\xC3\xA9 = 100%\ntrailing space \n.\n..dots\n" +
                                                std::string(200, 'x') + "\nno break at end"),
                                date, "<i@x>"));
    CHECK(body.starts_with("caf=C3=A9 =3D 100%\r\n"
                           "trailing space=20\r\n"
                           ".\r\n"
                           "..dots\r\n"));
    CHECK(body.ends_with("\r\nno break at end\r\n"));
    std::size_t start = 0;
    while (start < body.size()) {
        const auto end = body.find("\r\n", start);
        REQUIRE(end != std::string::npos);
        CHECK(end - start <= 76);
        start = end + 2;
    }
    // The 200 x's: soft breaks, and nothing lost.
    std::string joined;
    const auto xs = body.find("xxx");
    for (std::size_t i = xs; i < body.size() && body.compare(i, 3, "\r\nn") != 0; ++i) {
        joined += body[i];
    }
    std::string unfolded;
    for (std::size_t i = 0; i < joined.size(); ++i) {
        if (joined.compare(i, 3, "=\r\n") == 0) {
            i += 2;
            continue;
        }
        unfolded += joined[i];
    }
    CHECK(unfolded == std::string(200, 'x'));
}

TEST_CASE("addresses: only those the envelope and headers carry as they are", "[unit][webhooks]") {
    for (const std::string ok :
         {"a@b", "alerts+live@example.com", "first.last@sub.example.org", "o'brien@example.ie"}) {
        INFO(ok);
        CHECK(is_mail_address(ok));
    }
    for (const std::string& bad : std::initializer_list<std::string>{
             "", "plain", "@example.com", "a@", "a@b@c", "a b@example.com", "a@example.com\r\nRCPT",
             "<a@example.com>", "\"q\"@example.com", "a,b@example.com", "a;b@x", "é@example.com",
             std::string(250, 'a') + "@b.cd"}) {
        INFO(bad);
        CHECK_FALSE(is_mail_address(bad));
    }
    auto m = sample("s", "t");
    m.to.push_back("bad address@example.com");
    CHECK_THROWS_WITH(compose_message(m, date, "<i@x>"),
                      "not an e-mail address to send to: bad address@example.com");
    m.to.clear();
    CHECK_THROWS_AS(compose_message(m, date, "<i@x>"), std::invalid_argument);
    const std::string id = make_message_id("alerts@example.com");
    CHECK(id.size() == 1 + 32 + 1 + 11 + 1);
    CHECK(id.ends_with("@example.com>"));
    CHECK(id != make_message_id("alerts@example.com"));
}

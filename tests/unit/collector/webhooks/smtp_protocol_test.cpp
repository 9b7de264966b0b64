#include <string>

#include <catch2/catch.hpp>

#include "collector/webhooks/smtp_protocol.hpp"
#include "common/text/base64.hpp"

using namespace streamscope::webhooks;
using state = reply_reader::state;

TEST_CASE("SMTP replies of one line and of several", "[unit][webhooks]") {
    reply_reader r;
    CHECK(r.add("220 relay.example.com ESMTP ready") == state::complete);
    const smtp_reply greeting = r.take();
    CHECK(greeting.code == 220);
    CHECK(greeting.text() == "relay.example.com ESMTP ready");

    CHECK(r.add("250-relay.example.com") == state::more);
    CHECK(r.add("250-STARTTLS") == state::more);
    CHECK(r.add("250-AUTH LOGIN PLAIN") == state::more);
    CHECK(r.add("250 SIZE 33554432") == state::complete);
    const smtp_reply ehlo = r.take();
    CHECK(ehlo.code == 250);
    CHECK(ehlo.lines.size() == 4);
    CHECK(ehlo.text() == "relay.example.com STARTTLS AUTH LOGIN PLAIN SIZE 33554432");

    CHECK(r.add("354") == state::complete); // a bare code ends a reply too
    CHECK(r.take().code == 354);

    CHECK(r.add("550-5.1.1 no such") == state::more);
    CHECK(r.add("451 4.3.0 other code") == state::malformed);
    reply_reader fresh;
    for (const std::string bad :
         {"", "25", "hello", "250x", "199 too low", "600 too high", "2a0 letters"}) {
        INFO(bad);
        CHECK(fresh.add(bad) == state::malformed);
    }
    reply_reader long_text;
    CHECK(long_text.add("550 " + std::string(1000, 'x') + "\r") == state::complete);
    CHECK(long_text.take().text().size() < 400); // cut for messages; the CR a blank
}

TEST_CASE("what EHLO offers", "[unit][webhooks]") {
    smtp_reply reply{250, {"relay greets you", "PIPELINING", "starttls", "AUTH CRAM-MD5 LOGIN"}};
    ehlo_offer offer = read_ehlo(reply);
    CHECK(offer.starttls);
    CHECK(offer.auth_login);
    CHECK_FALSE(offer.auth_plain);
    offer = read_ehlo({250, {"x", "AUTH  PLAIN", "8BITMIME"}});
    CHECK(offer.auth_plain);
    CHECK_FALSE(offer.starttls);
    // The greeting line names no extension, whatever it says.
    offer = read_ehlo({250, {"STARTTLS AUTH PLAIN"}});
    CHECK_FALSE(offer.starttls);
    CHECK_FALSE(offer.auth_plain);
    CHECK_FALSE(read_ehlo({250, {"x", "STARTTLSX", "AUTHENTICATE PLAIN"}}).starttls);
}

TEST_CASE("AUTH PLAIN's response and DATA's dot-stuffing", "[unit][webhooks]") {
    // RFC 4616's example: authzid empty, "tim", "tanstaaftanstaaf".
    CHECK(auth_plain_response("tim", "tanstaaftanstaaf") == "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
    CHECK(streamscope::text::base64::decode(auth_plain_response("u", "p")) ==
          std::string("\0u\0p", 4));

    CHECK(data_payload("line\r\n.\r\n.hidden\r\n..two\r\nend\r\n") ==
          "line\r\n..\r\n..hidden\r\n...two\r\nend\r\n.\r\n");
    CHECK(data_payload("bare\nlf\nno end") == "bare\r\nlf\r\nno end\r\n.\r\n");
    CHECK(data_payload(".") == "..\r\n.\r\n");
    CHECK(data_payload("") == ".\r\n");
    CHECK(data_payload("a. b\r\n .c\r\n") == "a. b\r\n .c\r\n.\r\n");
}

TEST_CASE("EHLO names the client by its address", "[unit][webhooks]") {
    using boost::asio::ip::make_address;
    CHECK(ehlo_name(make_address("127.0.0.1")) == "[127.0.0.1]");
    CHECK(ehlo_name(make_address("::1")) == "[IPv6:::1]");
    CHECK(ehlo_name(make_address("2001:db8::5")) == "[IPv6:2001:db8::5]");
    CHECK(ehlo_name(make_address("::ffff:192.0.2.7")) == "[192.0.2.7]");
}

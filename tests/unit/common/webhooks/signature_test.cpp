#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "common/text/base64.hpp"
#include "common/webhooks/signature.hpp"

using namespace streamscope::webhooks;
using namespace std::chrono_literals;

namespace {

// The test vector of the Standard Webhooks reference libraries (their sign tests).
constexpr std::string_view vector_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view vector_id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t vector_time = 1614265330;
constexpr std::string_view vector_body = R"({"test": 2432232314})";
constexpr std::string_view vector_signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

std::chrono::system_clock::time_point at(std::int64_t unix_seconds) {
    return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
}

} // namespace

TEST_CASE("signatures reproduce the Standard Webhooks test vector", "[unit][webhooks]") {
    CHECK(sign(vector_secret, vector_id, vector_time, vector_body) == vector_signature);
    // The prefix is optional, as in the reference libraries.
    CHECK(sign(vector_secret.substr(6), vector_id, vector_time, vector_body) == vector_signature);

    const signed_headers headers{"msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", vector_signature};
    CHECK(verify(vector_secret, headers, vector_body, at(vector_time)) == verdict::valid);
}

TEST_CASE("a signature list passes when one v1 entry matches", "[unit][webhooks]") {
    // The reference libraries' multi-signature case: other versions are passed over.
    const std::string list = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= "
                             "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " +
                             std::string(vector_signature) +
                             " v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    CHECK(verify(vector_secret, {vector_id, "1614265330", list}, vector_body, at(vector_time)) ==
          verdict::valid);

    const std::string without = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= "
                                "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    CHECK(verify(vector_secret, {vector_id, "1614265330", without}, vector_body, at(vector_time)) ==
          verdict::no_matching_signature);
    // The reference libraries' invalid signature: the last character changed.
    CHECK(verify(vector_secret,
                 {vector_id, "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="},
                 vector_body, at(vector_time)) == verdict::no_matching_signature);
    // A prefix of the right signature, or the bare base64 without its version, is no match.
    CHECK(verify(vector_secret, {vector_id, "1614265330", vector_signature.substr(0, 20)},
                 vector_body, at(vector_time)) == verdict::no_matching_signature);
    CHECK(verify(vector_secret, {vector_id, "1614265330", vector_signature.substr(3)}, vector_body,
                 at(vector_time)) == verdict::no_matching_signature);
}

TEST_CASE("a tampered delivery or another secret fails verification", "[unit][webhooks]") {
    const std::string secret = make_secret();
    const std::string body = R"({"id":1,"type":"stream.live"})";
    const std::int64_t now = 1'796'000'000;
    const std::string signature = sign(secret, "1", now, body);
    const auto check = [&](std::string_view id, std::string_view timestamp, std::string_view b,
                           std::string_view key) {
        return verify(key, {id, timestamp, signature}, b, at(now));
    };
    const std::string stamp = std::to_string(now);
    CHECK(check("1", stamp, body, secret) == verdict::valid);
    CHECK(check("1", stamp, R"({"id":1,"type":"stream.ended"})", secret) ==
          verdict::no_matching_signature);
    CHECK(check("1", stamp, body + " ", secret) == verdict::no_matching_signature);
    CHECK(check("2", stamp, body, secret) == verdict::no_matching_signature);
    CHECK(check("1", std::to_string(now - 1), body, secret) == verdict::no_matching_signature);
    CHECK(check("1", stamp, body, make_secret()) == verdict::no_matching_signature);
}

TEST_CASE("a timestamp beyond the tolerance fails either way", "[unit][webhooks]") {
    const std::string secret = make_secret();
    const std::int64_t sent = 1'796'000'000;
    const std::string body = "{}";
    const std::string signature = sign(secret, "msg", sent, body);
    const signed_headers h{"msg", "1796000000", signature};
    CHECK(verify(secret, h, body, at(sent + 300)) == verdict::valid);
    CHECK(verify(secret, h, body, at(sent - 300)) == verdict::valid);
    CHECK(verify(secret, h, body, at(sent + 301)) == verdict::too_old);
    CHECK(verify(secret, h, body, at(sent - 301)) == verdict::too_new);
    CHECK(verify(secret, h, body, at(sent + 86'400)) == verdict::too_old);
    CHECK(verify(secret, h, body, at(sent + 600), 10min) == verdict::valid);
    // Sub-second parts of now do not matter.
    CHECK(verify(secret, h, body, at(sent + 300) + 999ms) == verdict::valid);
}

TEST_CASE("malformed headers and secrets are told apart", "[unit][webhooks]") {
    const auto now = at(vector_time);
    for (const std::string_view timestamp :
         {"hello", "-1614265330", "+1614265330", "1614265330.5", " 1614265330", "1614265330 ",
          "99999999999999999999999", "0x60"}) {
        INFO(timestamp);
        CHECK(verify(vector_secret, {vector_id, timestamp, vector_signature}, vector_body, now) ==
              verdict::malformed_timestamp);
    }
    // Leading zeros are the same number, as the reference libraries read it.
    CHECK(verify(vector_secret, {vector_id, "01614265330", vector_signature}, vector_body, now) ==
          verdict::valid);
    CHECK(verify(vector_secret, {"", "1614265330", vector_signature}, vector_body, now) ==
          verdict::missing_header);
    CHECK(verify(vector_secret, {vector_id, "1614265330", ""}, vector_body, now) ==
          verdict::missing_header);
    for (const std::string_view secret : {"", "whsec_", "whsec_not base64!", "whsec_abc"}) {
        INFO(secret);
        CHECK(verify(secret, {vector_id, "1614265330", vector_signature}, vector_body, now) ==
              verdict::malformed_secret);
        CHECK_THROWS_AS(sign(secret, vector_id, vector_time, vector_body), std::invalid_argument);
    }
    CHECK(to_string(verdict::too_old) == "too_old");
}

TEST_CASE("new secrets are whsec_ and fresh random bytes", "[unit][webhooks]") {
    const std::string a = make_secret();
    const std::string b = make_secret();
    CHECK(a != b);
    CHECK(a.starts_with("whsec_"));
    const auto key = secret_key(a);
    REQUIRE(key);
    CHECK(key->size() == 32);
    CHECK(secret_key(make_secret(24))->size() == 24);
    CHECK(secret_key(make_secret(64))->size() == 64);
    CHECK_THROWS_AS(make_secret(23), std::invalid_argument);
    CHECK_THROWS_AS(make_secret(65), std::invalid_argument);
    CHECK(secret_key(vector_secret) ==
          streamscope::text::base64::decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
}

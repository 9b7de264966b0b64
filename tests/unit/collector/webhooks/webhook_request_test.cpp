#include <chrono>

#include <catch2/catch.hpp>

#include "collector/webhooks/webhook_request.hpp"
#include "common/webhooks/signature.hpp"

using namespace streamscope;
using namespace streamscope::webhooks;

TEST_CASE("a delivery's request carries the Standard Webhooks headers", "[unit][webhooks]") {
    const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const target_url target{true, "hooks.example.com", "443", "/in?x=1"};
    const auto req =
        signed_request(target, secret, 42, 1'765'000'000, "{\"id\":42}", "application/json");
    CHECK(req.method() == boost::beast::http::verb::post);
    CHECK(req.target() == "/in?x=1");
    CHECK(req[boost::beast::http::field::host] == "hooks.example.com");
    CHECK(req[boost::beast::http::field::content_type] == "application/json");
    CHECK(req["webhook-id"] == "evt_42");
    CHECK(req["webhook-timestamp"] == "1765000000");
    CHECK(req[boost::beast::http::field::content_length] == "9");
    // The receiver's check passes for exactly this request.
    const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(1'765'000'000));
    const std::string signature(req["webhook-signature"]);
    CHECK(verify(secret, {"evt_42", "1765000000", signature}, req.body(), at) == verdict::valid);
    CHECK(verify(secret, {"evt_43", "1765000000", signature}, req.body(), at) ==
          verdict::no_matching_signature);

    // The same event gets the same webhook-id on every attempt.
    CHECK(message_id(42) == "evt_42");
    const auto other = signed_request({false, "::1", "8080", "/"}, secret, 42, 1'765'000'100, "{}",
                                      "application/json");
    CHECK(other["webhook-id"] == "evt_42");
    CHECK(other[boost::beast::http::field::host] == "[::1]:8080");
}

#include <string>

#include <catch2/catch.hpp>

#include "collector/youtube/errors.hpp"

using namespace streamscope::youtube;

namespace {

// Google's answers as the Data API sends them (JSON escapes as Google writes them).
constexpr const char* quota_body = R"({
  "error": {
    "code": 403,
    "message": "The request cannot be completed because you have exceeded your \u003ca href=\"/youtube/v3/getting-started#quota\"\u003equota\u003c/a\u003e.",
    "errors": [{"message": "The request cannot be completed because you have exceeded your \u003ca href=\"/youtube/v3/getting-started#quota\"\u003equota\u003c/a\u003e.",
                "domain": "youtube.quota", "reason": "quotaExceeded"}]
  }
})";

constexpr const char* invalid_key_body = R"({
  "error": {
    "code": 400,
    "message": "API key not valid. Please pass a valid API key.",
    "errors": [{"message": "API key not valid. Please pass a valid API key.", "domain": "global",
                "reason": "badRequest"}],
    "status": "INVALID_ARGUMENT",
    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                 "domain": "googleapis.com", "metadata": {"service": "youtube.googleapis.com"}}]
  }
})";

constexpr const char* not_enabled_body = R"({
  "error": {
    "code": 403,
    "message": "YouTube Data API v3 has not been used in project 1234 before or it is disabled.",
    "errors": [{"message": "..", "domain": "usageLimits", "reason": "accessNotConfigured",
                "extendedHelp": "https://console.developers.google.com"}],
    "status": "PERMISSION_DENIED",
    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED"}]
  }
})";

std::string error_body(unsigned code, const std::string& reasons, const std::string& details = "",
                       const std::string& message = "m") {
    std::string body = R"({"error":{"code":)";
    body += std::to_string(code);
    body += R"(,"message":")";
    body += message;
    body += R"(","errors":[)";
    body += reasons;
    body += "]";
    if (!details.empty()) {
        body += R"(,"details":[)";
        body += details;
        body += "]";
    }
    body += "}}";
    return body;
}

google_error kind_of(unsigned status, const std::string& reason) {
    return classify_error(status, error_body(status, R"({"reason":")" + reason + R"("})")).kind;
}

} // namespace

TEST_CASE("Google's quota answer: the day is spent, its message without HTML", "[unit][youtube]") {
    const auto info = classify_error(403, quota_body);
    CHECK(info.kind == google_error::quota_exceeded);
    CHECK(info.reason == "quotaExceeded");
    CHECK(info.message == "The request cannot be completed because you have exceeded your quota.");
    CHECK(to_string(info.kind) == "quota_exceeded");
}

TEST_CASE("Google's answers about the key", "[unit][youtube]") {
    const auto invalid = classify_error(400, invalid_key_body);
    CHECK(invalid.kind == google_error::key_invalid); // not bad_request, although 400 badRequest
    CHECK(invalid.reason == "API_KEY_INVALID");
    CHECK(invalid.message == "API key not valid. Please pass a valid API key.");

    const auto disabled = classify_error(403, not_enabled_body);
    CHECK(disabled.kind == google_error::key_invalid);
    CHECK(disabled.reason == "accessNotConfigured");

    CHECK(kind_of(400, "keyInvalid") == google_error::key_invalid);
    CHECK(kind_of(400, "keyExpired") == google_error::key_invalid);
    CHECK(kind_of(403, "ipRefererBlocked") == google_error::key_invalid);
    // "forbidden" is the key's only when a detail says so.
    CHECK(classify_error(403, error_body(403, R"({"reason":"forbidden","domain":"global"})",
                                         R"({"reason":"API_KEY_HTTP_REFERRER_BLOCKED"})"))
              .kind == google_error::key_invalid);
    CHECK(kind_of(403, "forbidden") == google_error::other);
    CHECK(classify_error(401, "").kind == google_error::key_invalid);
}

TEST_CASE("Google's limits: daily quota against short-term rate", "[unit][youtube]") {
    CHECK(kind_of(403, "dailyLimitExceeded") == google_error::quota_exceeded);
    CHECK(kind_of(403, "rateLimitExceeded") == google_error::rate_limited);
    CHECK(kind_of(403, "userRateLimitExceeded") == google_error::rate_limited);
    CHECK(kind_of(429, "RATE_LIMIT_EXCEEDED") == google_error::rate_limited);
    CHECK(classify_error(429, R"({"error":{"code":429,"status":"RESOURCE_EXHAUSTED"}})").kind ==
          google_error::rate_limited);
    // Both in one answer: the spent day decides.
    const auto both = classify_error(
        403, error_body(403, R"({"reason":"rateLimitExceeded"},{"reason":"quotaExceeded"})"));
    CHECK(both.kind == google_error::quota_exceeded);
    CHECK(both.reason == "quotaExceeded");
}

TEST_CASE("Google's other answers, by reason and by status", "[unit][youtube]") {
    CHECK(kind_of(404, "playlistNotFound") == google_error::not_found);
    CHECK(kind_of(404, "notFound") == google_error::not_found);
    CHECK(kind_of(400, "invalidParameter") == google_error::bad_request);
    CHECK(kind_of(400, "required") == google_error::bad_request);
    CHECK(kind_of(500, "backendError") == google_error::server_error);
    CHECK(kind_of(503, "somethingNew") == google_error::server_error);
    const auto unknown = classify_error(403, error_body(403, R"({"reason":"somethingNew"})"));
    CHECK(unknown.kind == google_error::other);
    CHECK(unknown.reason == "somethingNew"); // undecisive, still there for the log line
    CHECK(unknown.message == "m");
}

TEST_CASE("bodies that are not Google's JSON: by status alone, never a throw", "[unit][youtube]") {
    const std::string html = "<!DOCTYPE html><html><title>Error 502 (Server Error)!!1</title>";
    for (const auto& [status, kind] :
         {std::pair{400U, google_error::bad_request}, std::pair{401U, google_error::key_invalid},
          std::pair{403U, google_error::other}, std::pair{404U, google_error::not_found},
          std::pair{429U, google_error::rate_limited}, std::pair{500U, google_error::server_error},
          std::pair{599U, google_error::server_error}, std::pair{302U, google_error::other}}) {
        INFO(status);
        for (const std::string& body :
             {html, std::string(), std::string("{\"error\":\"invalid\"}"), std::string("[1,2"),
              std::string("{\"error\":{\"errors\":5,\"message\":7}}"), std::string("\xFF\xFE")}) {
            const auto info = classify_error(status, body);
            CHECK(info.kind == kind);
            CHECK(info.reason.empty());
            CHECK(info.message.empty());
        }
    }
}

TEST_CASE("an error message is cut at 300 bytes, between characters", "[unit][youtube]") {
    // 299 ASCII bytes and a 2-byte character: the character would end at byte 301.
    const std::string long_message = std::string(299, 'a') + "\\u00e9 and more";
    const auto info = classify_error(400, error_body(400, "", "", long_message));
    CHECK(info.message == std::string(299, 'a'));
    const auto exact = classify_error(400, error_body(400, "", "", std::string(300, 'b') + "c"));
    CHECK(exact.message == std::string(300, 'b'));
    // Tags go before the cut, and a '<' that starts no tag stays.
    const auto tags = classify_error(
        400, error_body(400, "", "", R"(a \u003cb\u003ebold\u003c/b\u003e 1 < 2 \u003cbroken)"));
    CHECK(tags.message == "a bold 1 < 2 <broken");
}

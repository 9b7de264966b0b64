#include "tests/platform_mock/youtube/errors.hpp"

#include <string>

namespace streamscope::platform_mock::youtube {
namespace {

// google.rpc.Code names by HTTP status, as the "status" field spells them.
std::string_view rpc_status(unsigned code) {
    switch (code) {
    case 400:
        return "INVALID_ARGUMENT";
    case 401:
        return "UNAUTHENTICATED";
    case 403:
        return "PERMISSION_DENIED";
    case 404:
        return "NOT_FOUND";
    case 429:
        return "RESOURCE_EXHAUSTED";
    case 503:
        return "UNAVAILABLE";
    default:
        return "INTERNAL";
    }
}

boost::json::object error_body(const google_error& e) {
    boost::json::object item{
        {"message", e.message},
        {"domain", e.domain},
        {"reason", e.reason},
    };
    if (!e.location.empty()) {
        item["location"] = e.location;
        item["locationType"] = "parameter";
    }
    return boost::json::object{
        {"code", e.code},
        {"message", e.message},
        {"errors", boost::json::array{std::move(item)}},
        {"status", rpc_status(e.code)},
    };
}

reply with_google_type(reply r) {
    r.content_type = json_content_type;
    return r;
}

} // namespace

reply error_reply(const google_error& e) {
    return with_google_type(json_reply(e.code, boost::json::object{{"error", error_body(e)}}));
}

reply key_invalid() {
    constexpr std::string_view message = "API key not valid. Please pass a valid API key.";
    auto body = error_body({400, message, "global", "badRequest", ""});
    body["details"] = boost::json::array{boost::json::object{
        {"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
        {"reason", "API_KEY_INVALID"},
        {"domain", "googleapis.com"},
    }};
    return with_google_type(json_reply(400, boost::json::object{{"error", std::move(body)}}));
}

reply quota_exceeded() {
    constexpr std::string_view message =
        "The request cannot be completed because you have exceeded your <a "
        "href=\"/youtube/v3/getting-started#quota\">quota</a>.";
    // Google leaves "status" out of this one.
    boost::json::object body{
        {"code", 403},
        {"message", message},
        {"errors", boost::json::array{boost::json::object{
                       {"message", message},
                       {"domain", "youtube.quota"},
                       {"reason", "quotaExceeded"},
                   }}},
    };
    return with_google_type(json_reply(403, boost::json::object{{"error", std::move(body)}}));
}

reply out_of_range(std::string_view parameter, std::string_view value) {
    std::string message = "Invalid value '";
    message.append(value).append("'. Values must be within the range: [0, 50]");
    return error_reply({400, message, "youtube.parameter", "invalidParameter", parameter});
}

reply required_parameter(std::string_view parameter) {
    std::string message = "Required parameter: ";
    message.append(parameter);
    return error_reply({400, message, "global", "required", parameter});
}

reply no_filter(std::string_view choices) {
    std::string message = "No filter selected. Expected one of: ";
    message.append(choices);
    return error_reply({400, message, "youtube.parameter", "missingRequiredParameter", ""});
}

reply api_server_error(unsigned status) {
    const std::string_view message =
        status == 503 ? "The service is currently unavailable." : "Internal error encountered.";
    return error_reply({status, message, "global", "backendError", ""});
}

reply html_error(unsigned status) {
    reply r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    const std::string code = std::to_string(status);
    r.body = "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error ";
    r.body.append(code).append(" (").append(reason(status)).append(")!!1</title>\n  <p><b>");
    r.body.append(code).append(".</b> <ins>That\xe2\x80\x99s an error.</ins>\n  <p>");
    r.body.append(status == 404 ? "The requested URL was not found on this server."
                                : "Please try again later.");
    r.body.append("  <ins>That\xe2\x80\x99s all we know.</ins>\n");
    return r;
}

} // namespace streamscope::platform_mock::youtube

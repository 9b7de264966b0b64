#pragma once
// A request and its reply as the mock's logic sees them, free of Beast: the server fills a
// `request` from the wire and carries out a `reply`, including the transport-level faults.
// Also the two error body shapes Twitch uses and query-string parsing.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "tests/platform_mock/rate_limit.hpp"

namespace streamscope::platform_mock {

struct request {
    std::string_view method; // "GET"
    std::string_view target; // "/helix/streams?first=100"
    std::optional<std::string_view> authorization;
    std::optional<std::string_view> client_id;
    std::string_view body;
};

// How the server delivers a reply.
enum class delivery {
    normal,
    reset,    // no answer: close the connection abruptly (RST)
    truncate, // the full Content-Length, half the body, then close
};

struct reply {
    unsigned status = 200;
    std::string body;                                         // JSON, unless a fault says otherwise
    std::optional<rate_limit_headers> rate_limit;             // the Ratelimit-* headers, when set
    std::vector<std::pair<std::string, std::string>> headers; // any others, e.g. Allow
    delivery how = delivery::normal;
    std::chrono::milliseconds delay{0}; // wait this long before answering
    bool shutdown_after = false;        // stop the server once this reply is sent
};

// The reason phrase for the status codes the mock uses ("Bad Request").
std::string_view reason(unsigned status);

reply json_reply(unsigned status, const boost::json::value& body);

// Helix's error shape: {"error":"Bad Request","status":400,"message":"..."}.
reply helix_error(unsigned status, std::string_view message);

// id.twitch.tv's error shape: {"status":403,"message":"invalid client secret"}.
reply oauth_error(unsigned status, std::string_view message);

// Query parameters in order, decoded ('+' is a space, as in HTML forms and on Twitch).
class query {
public:
    // From a query string without the '?'. Fails on malformed percent-escapes.
    static boost::system::result<query> parse(std::string_view text);

    // Every value of a repeated parameter, in order.
    std::vector<std::string_view> all(std::string_view key) const;
    // The first value; nullopt when absent.
    std::optional<std::string_view> first(std::string_view key) const;
    bool has(std::string_view key) const { return first(key).has_value(); }

private:
    std::vector<std::pair<std::string, std::string>> params_;
};

} // namespace streamscope::platform_mock

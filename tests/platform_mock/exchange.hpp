#pragma once
// A request and its reply as the mock's logic sees them, free of Beast: the server fills a
// `request` from the wire and carries out a `reply`, including the transport-level faults.
// Also query-string parsing. Each platform's error shapes live in its own folder.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

namespace streamscope::platform_mock {

// What the Ratelimit-* headers say (Twitch sends them; Kick sends none).
struct rate_limit_headers {
    std::int64_t limit = 0;     // Ratelimit-Limit
    std::int64_t remaining = 0; // Ratelimit-Remaining
    std::int64_t reset = 0;     // Ratelimit-Reset: Unix seconds when the bucket is full again
};

struct request {
    std::string_view method; // "GET"
    std::string_view target; // "/helix/streams?first=100"
    std::optional<std::string_view> authorization;
    std::optional<std::string_view> client_id;
    std::string_view body;
    std::string_view remote_address; // the client's IP address; "" when unknown
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
    std::string_view content_type = "application/json; charset=utf-8";
    delivery how = delivery::normal;
    std::chrono::milliseconds delay{0}; // wait this long before answering
    bool shutdown_after = false;        // stop the server once this reply is sent
};

// The reason phrase for the status codes the mock uses ("Bad Request").
std::string_view reason(unsigned status);

reply json_reply(unsigned status, const boost::json::value& body);

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

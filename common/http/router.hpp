#pragma once
// Maps a method and a path to a handler. Patterns are made of whole segments, each either
// literal ("channels") or a parameter ("{login}"): "/channels/{platform}/{login}". The path is
// split on '/' before its segments are percent-decoded, so "%2F" inside a login stays in it.
// Filled in before the server starts and read-only afterwards, so threads share it unlocked.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include "common/http/handler.hpp"

namespace streamscope::http {

// The percent-decoded `text` ("+" stays "+": that is a query convention, not a path one), or
// nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

// "GET, HEAD": methods as the Allow header lists them.
std::string method_list(const std::vector<boost::beast::http::verb>& methods);

class router {
public:
    enum class outcome { found, not_found, method_not_allowed };

    struct match_result {
        outcome result = outcome::not_found;
        const handler* target = nullptr; // found: the handler, owned by the router
        // found: the route's pattern; method_not_allowed: the most specific pattern of the path
        std::string pattern;
        std::map<std::string, std::string, std::less<>> params; // found: decoded values
        // method_not_allowed: every method that the path answers (HEAD wherever GET is), in
        // the order of boost::beast::http::verb, for the Allow header
        std::vector<boost::beast::http::verb> allowed;
    };

    // Throws std::invalid_argument for a malformed pattern (not starting with '/', an empty
    // segment, '{' or '}' inside a literal, a parameter named twice) and for a route that
    // repeats an earlier one with the same method (parameter names aside).
    void add(boost::beast::http::verb method, std::string pattern, handler h);

    // `raw_path` is the request target's path as sent (still percent-encoded, without the
    // query). When several patterns fit, the one with a literal where the others have a
    // parameter, earliest in the path, wins: "/channels/top" before "/channels/{login}". HEAD
    // falls back to the GET route. A trailing slash is a segment of its own: "/a/" is not "/a".
    match_result match(boost::beast::http::verb method, std::string_view raw_path) const;

    // (method, pattern) in the order added, e.g. ("GET", "/channels/{platform}/{login}"); the
    // implied HEAD routes are not listed.
    std::vector<std::pair<std::string, std::string>> routes() const;

private:
    struct segment {
        std::string text; // the literal, or the parameter's name
        bool parameter = false;
    };
    struct route {
        boost::beast::http::verb method;
        std::string pattern;
        std::vector<segment> segments;
        handler target;
    };
    std::vector<route> routes_;
};

} // namespace streamscope::http

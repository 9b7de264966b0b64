// libFuzzer target: the API's route table (api/routes.cpp) matching a method and a raw path.
// Input: one byte choosing the method, then the path as sent (still percent-encoded).
// Checks that a match is consistent with the table and with itself: a found route's parameters
// put back into its pattern find it again with the same values; a 405 lists only methods that
// the path answers; a 404 is a 404 for every method.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/router.hpp"
#include "fuzz/api_routes.hpp"
#include "fuzz/percent_encode.hpp"
#include "fuzz/require.hpp"

namespace {

using boost::beast::http::verb;
using streamscope::fuzz::require;
using streamscope::http::router;

constexpr std::array methods{verb::get,     verb::head,  verb::post,   verb::put,
                             verb::delete_, verb::patch, verb::options};

std::vector<std::string_view> segments_of(std::string_view pattern) {
    std::vector<std::string_view> out;
    pattern.remove_prefix(1);
    while (!pattern.empty()) {
        const auto slash = pattern.find('/');
        out.push_back(pattern.substr(0, slash));
        pattern = slash == std::string_view::npos ? std::string_view{} : pattern.substr(slash + 1);
    }
    return out;
}

bool is_parameter(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool table_has(const router& routes, verb method, const std::string& pattern) {
    const auto table = routes.routes();
    const std::string name(boost::beast::http::to_string(method));
    return std::find(table.begin(), table.end(), std::pair{name, pattern}) != table.end();
}

void check_found(const router& routes, verb method, const router::match_result& found) {
    require(found.target != nullptr, "a found route has a handler");
    require(table_has(routes, method, found.pattern) ||
                (method == verb::head && table_has(routes, verb::get, found.pattern)),
            "a found route is in the table for the method (HEAD: or GET)");
    // The pattern again, with each parameter percent-encoded in its place.
    std::string path;
    std::size_t parameters = 0;
    for (const std::string_view segment : segments_of(found.pattern)) {
        path += '/';
        if (!is_parameter(segment)) {
            path += segment;
            continue;
        }
        ++parameters;
        const auto value = found.params.find(segment.substr(1, segment.size() - 2));
        require(value != found.params.end(), "every parameter of the pattern has a value");
        require(!value->second.empty(), "no parameter value is empty");
        path += streamscope::fuzz::percent_encode(value->second);
    }
    if (path.empty()) {
        path = "/";
    }
    require(found.params.size() == parameters, "only the pattern's parameters have values");
    const auto again = routes.match(method, path);
    require(again.result == router::outcome::found && again.pattern == found.pattern &&
                again.params == found.params,
            "the parameters put back into the pattern find the same route and values");
}

void check_not_allowed(const router& routes, verb method, std::string_view raw_path,
                       const router::match_result& found) {
    require(!found.allowed.empty(), "a 405 lists the methods that the path answers");
    require(std::is_sorted(found.allowed.begin(), found.allowed.end()),
            "Allow lists methods in order");
    require(std::find(found.allowed.begin(), found.allowed.end(), method) == found.allowed.end(),
            "a 405 does not allow the method it refused");
    for (const verb m : found.allowed) {
        require(routes.match(m, raw_path).result == router::outcome::found,
                "every method that a 405 allows finds a route");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const verb method = methods[data[0] % methods.size()];
    const std::string_view raw_path(reinterpret_cast<const char*>(data) + 1, size - 1);
    const router& routes = streamscope::fuzz::api_routes();
    const auto found = routes.match(method, raw_path);
    switch (found.result) {
    case router::outcome::found:
        check_found(routes, method, found);
        break;
    case router::outcome::method_not_allowed:
        check_not_allowed(routes, method, raw_path, found);
        break;
    case router::outcome::not_found:
        for (const verb m : methods) {
            require(routes.match(m, raw_path).result == router::outcome::not_found,
                    "a path that no route has is a 404 for every method");
        }
        break;
    }
    return 0;
}

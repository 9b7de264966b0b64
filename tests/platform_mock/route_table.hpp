#pragma once
// Finding a request's row in a platform's route table: exact paths only (no route of the mock
// has parameters in its path). A path known under other methods yields those methods, for the
// Allow header of a 405.

#include <span>
#include <string>
#include <string_view>

namespace streamscope::platform_mock {

template <typename Route>
struct route_match {
    const Route* route = nullptr; // nullptr: 404 when `allow` is empty, else 405
    std::string allow;            // every method the path has, e.g. "GET, POST"
};

// Route needs `method` and `path` members comparable with std::string_view.
template <typename Route>
route_match<Route> find_route(std::span<const Route> routes, std::string_view method,
                              std::string_view path) {
    route_match<Route> match;
    for (const Route& r : routes) {
        if (r.path == path) {
            if (r.method == method) {
                match.route = &r;
            }
            match.allow += match.allow.empty() ? "" : ", ";
            match.allow += r.method;
        }
    }
    return match;
}

} // namespace streamscope::platform_mock

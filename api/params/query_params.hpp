#pragma once
// A request's query parameters, checked against what the route accepts. The first problem is
// kept (parameter and what is allowed) for the one 400 answer; everything else is typed.

#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/http/handler.hpp"

namespace streamscope::api {

struct param_error {
    std::string parameter;
    std::string message;
};

class query_params {
public:
    // `raw`: the query string without '?'. Parameters not in `allowed`, or given twice, are
    // errors.
    query_params(const std::string& raw, std::initializer_list<std::string_view> allowed);

    const std::optional<param_error>& error() const { return error_; }

    std::optional<std::string> text(std::string_view name) const;
    // A whole number within [min, max]; `fallback` when absent.
    long long integer(std::string_view name, long long min, long long max, long long fallback);
    // One of `choices`; nullopt when absent.
    std::optional<std::string> one_of(std::string_view name,
                                      std::span<const std::string_view> choices);
    // A language code: two lowercase letters, or "other".
    std::optional<std::string> language(std::string_view name);

    // Records a problem found by the caller (e.g. a combination of parameters).
    void reject(std::string_view name, std::string message) { fail(name, std::move(message)); }

private:
    void fail(std::string_view name, std::string message);

    std::map<std::string, std::string, std::less<>> values_;
    std::optional<param_error> error_;
};

// The one 400 answer to `req` for `problem` (code invalid_parameter, the parameter named).
http::response invalid_parameter(const http::request& req, const param_error& problem);

} // namespace streamscope::api

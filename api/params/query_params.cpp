#include "api/params/query_params.hpp"

#include <algorithm>
#include <charconv>

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

#include "common/http/response.hpp"
#include "common/text/utf8.hpp"

namespace streamscope::api {
namespace {

// The first '&'-separated part of `raw` that is not a valid query on its own.
std::string_view first_malformed(std::string_view raw) {
    for (std::string_view rest = raw;;) {
        const auto amp = rest.find('&');
        const std::string_view part = rest.substr(0, amp);
        // A copy: parse_query reads to the NUL after its view (boostorg/url#757).
        if (!boost::urls::parse_query(std::string(part))) {
            return part;
        }
        if (amp == std::string_view::npos) {
            return raw; // only the whole fails: name none in particular
        }
        rest.remove_prefix(amp + 1);
    }
}

} // namespace

query_params::query_params(const std::string& raw,
                           std::initializer_list<std::string_view> allowed) {
    // `raw` is a std::string: Boost.URL 1.81 reads a query past the end of a view that is not
    // NUL-terminated (boostorg/url#757). Decoding a malformed query throws: check it first.
    if (!boost::urls::parse_query(raw)) {
        const std::string_view bad = first_malformed(raw);
        fail(bad.substr(0, bad.find('=')),
             "is not percent-encoded correctly: '%' must be followed by two hex digits, and "
             "spaces and characters such as \" < > \\ ^ ` { | } must be encoded");
        return;
    }
    const boost::urls::params_view params(raw);
    for (const auto& p : params) {
        if (!text::is_storable_text(p.key)) {
            fail(p.key, "a parameter name must be UTF-8 text");
            continue;
        }
        if (std::find(allowed.begin(), allowed.end(), p.key) == allowed.end()) {
            std::string known;
            for (std::string_view a : allowed) {
                known += (known.empty() ? "" : ", ") + std::string(a);
            }
            fail(p.key, "unknown parameter; this route takes: " +
                            (known.empty() ? std::string("none") : known));
            continue;
        }
        // The database refuses such text: the parameter is refused here, by name, instead.
        if (!text::is_storable_text(p.value)) {
            fail(p.key, "must be UTF-8 text without NUL characters");
            continue;
        }
        if (!values_.emplace(p.key, p.value).second) {
            fail(p.key, "given more than once");
        }
    }
}

void query_params::fail(std::string_view name, std::string message) {
    if (!error_) {
        error_ = param_error{std::string(name), std::move(message)};
    }
}

std::optional<std::string> query_params::text(std::string_view name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::nullopt : std::optional<std::string>(it->second);
}

long long query_params::integer(std::string_view name, long long min, long long max,
                                long long fallback) {
    const auto value = text(name);
    if (!value) {
        return fallback;
    }
    long long n = 0;
    auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
    if (value->empty() || ec != std::errc{} || end != value->data() + value->size() || n < min ||
        n > max) {
        fail(name,
             "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
        return fallback;
    }
    return n;
}

std::optional<std::string> query_params::one_of(std::string_view name,
                                                std::span<const std::string_view> choices) {
    auto value = text(name);
    if (value && std::find(choices.begin(), choices.end(), *value) == choices.end()) {
        std::string allowed;
        for (std::string_view c : choices) {
            allowed += (allowed.empty() ? "" : ", ") + std::string(c);
        }
        fail(name, "must be one of: " + allowed);
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> query_params::language(std::string_view name) {
    auto value = text(name);
    const bool valid =
        value && (*value == "other" ||
                  (value->size() == 2 && std::all_of(value->begin(), value->end(),
                                                     [](char c) { return c >= 'a' && c <= 'z'; })));
    if (value && !valid) {
        fail(name, "must be a two-letter ISO 639-1 code in lowercase, or other");
        return std::nullopt;
    }
    return value;
}

http::response invalid_parameter(const http::request& req, const param_error& problem) {
    return http::error_response(req, boost::beast::http::status::bad_request, "invalid_parameter",
                                problem.message, problem.parameter);
}

} // namespace streamscope::api

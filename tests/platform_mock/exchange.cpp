#include "tests/platform_mock/exchange.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

namespace streamscope::platform_mock {

std::string_view reason(unsigned status) {
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "";
    }
}

reply json_reply(unsigned status, const boost::json::value& body) {
    reply r;
    r.status = status;
    r.body = boost::json::serialize(body);
    return r;
}

boost::system::result<query> query::parse(std::string_view text) {
    query q;
    if (text.empty()) {
        return q;
    }
    // Boost.URL 1.81's parse_query rebuilds its view from the data pointer alone (strlen), so it
    // reads past a view into Beast's buffer and mis-sizes the last value (boostorg/url#757):
    // hand it a NUL-terminated copy.
    const std::string owned(text);
    if (auto parsed = boost::urls::parse_query(owned); !parsed) {
        return parsed.error();
    }
    boost::urls::encoding_opts options;
    options.space_as_plus = true;
    for (const auto& param : boost::urls::params_view(owned, options)) {
        q.params_.emplace_back(param.key, param.value);
    }
    return q;
}

std::vector<std::string_view> query::all(std::string_view key) const {
    std::vector<std::string_view> out;
    for (const auto& [k, v] : params_) {
        if (k == key) {
            out.push_back(v);
        }
    }
    return out;
}

std::optional<std::string_view> query::first(std::string_view key) const {
    for (const auto& [k, v] : params_) {
        if (k == key) {
            return std::string_view(v);
        }
    }
    return std::nullopt;
}

} // namespace streamscope::platform_mock

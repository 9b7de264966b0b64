#include "common/config/database_url.hpp"

#include <algorithm>
#include <charconv>
#include <libpq-fe.h>
#include <memory>
#include <stdexcept>

namespace streamscope::config {

void throw_exception_from_error(const invalid_setting& e, const boost::source_location&) {
    throw std::invalid_argument(e.message);
}

namespace {

// Quotes a value for a keyword=value conninfo string (libpq: single quotes, \ escapes).
std::string quote_conninfo(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "'";
}

std::string value_of(const std::vector<std::pair<std::string, std::string>>& params,
                     std::string_view key) {
    for (const auto& [k, v] : params) {
        if (k == key) {
            return v;
        }
    }
    return {};
}

} // namespace

boost::system::result<database_url, invalid_setting> database_url::parse(std::string_view text) {
    if (text.empty()) {
        return invalid_setting{"DATABASE_URL is not set: give a PostgreSQL URI such as "
                               "postgresql://user:password@host:5432/streamscope"};
    }
    if (!text.starts_with("postgresql://") && !text.starts_with("postgres://")) {
        return invalid_setting{"DATABASE_URL must be a postgresql:// URI, such as "
                               "postgresql://user:password@host:5432/streamscope"};
    }
    char* raw_error = nullptr;
    const std::string copy(text);
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(copy.c_str(), &raw_error), &PQconninfoFree);
    if (!options) {
        std::string why = raw_error != nullptr ? raw_error : "out of memory";
        PQfreemem(raw_error);
        while (!why.empty() && (why.back() == '\n' || why.back() == '\r')) {
            why.pop_back();
        }
        // libpq's messages quote the offending fragment, which could hold the password.
        if (why.find("password") != std::string::npos || why.find('@') != std::string::npos) {
            why = "libpq could not parse it";
        }
        return invalid_setting{"DATABASE_URL is not a valid PostgreSQL URI: " + why};
    }

    database_url url;
    for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
        if (o->val != nullptr) {
            url.params_.emplace_back(o->keyword, o->val);
        }
    }
    // libpq checks ports only when connecting; a typo there is a settings error, found now.
    // Several hosts give a comma-separated list of ports.
    const std::string all_ports = value_of(url.params_, "port");
    std::string_view ports = all_ports;
    while (!ports.empty()) {
        const std::string_view port = ports.substr(0, ports.find(','));
        ports.remove_prefix(std::min(port.size() + 1, ports.size()));
        int number = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
        if (ec != std::errc{} || end != port.data() + port.size() || number < 1 || number > 65535) {
            return invalid_setting{"DATABASE_URL has an invalid port '" + std::string(port) +
                                   "': use a number from 1 to 65535"};
        }
    }
    url.set_redacted();
    return url;
}

void database_url::set_redacted() {
    const std::string user = value_of(params_, "user");
    const std::string port = value_of(params_, "port");
    redacted_ = "postgresql://" + (user.empty() ? "" : user + "@") + value_of(params_, "host") +
                (port.empty() ? "" : ":" + port) + "/" + value_of(params_, "dbname");
}

database_url database_url::with_dbname(std::string_view dbname) const {
    database_url out = *this;
    std::erase_if(out.params_, [](const auto& p) { return p.first == "dbname"; });
    out.params_.emplace_back("dbname", dbname);
    out.set_redacted();
    return out;
}

std::string
database_url::conninfo(const std::vector<std::pair<std::string, std::string>>& defaults) const {
    std::string out;
    auto add = [&](const std::string& k, const std::string& v) {
        out += (out.empty() ? "" : " ") + k + "=" + quote_conninfo(v);
    };
    for (const auto& [k, v] : params_) {
        add(k, v);
    }
    for (const auto& [k, v] : defaults) {
        if (value_of(params_, k).empty()) {
            add(k, v);
        }
    }
    return out;
}

} // namespace streamscope::config

#pragma once
// DATABASE_URL: a libpq connection URI, validated by libpq itself, that never prints its
// password.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/system/result.hpp>

namespace streamscope::config {

struct invalid_setting {
    std::string message; // one line that names the setting and what is wrong
};
[[noreturn]] void throw_exception_from_error(const invalid_setting& e,
                                             const boost::source_location& loc);

class database_url {
public:
    // Accepts postgresql:// and postgres:// URIs that libpq can parse. The error message never
    // contains the password.
    static boost::system::result<database_url, invalid_setting> parse(std::string_view text);

    // A libpq keyword=value connection string with the URI's settings, plus `defaults` for the
    // keywords the URI does not set (connect_timeout, application_name, ...). Holds the
    // password: pass it to libpq only, never to a log.
    std::string
    conninfo(const std::vector<std::pair<std::string, std::string>>& defaults = {}) const;

    // The same server and credentials, another database.
    database_url with_dbname(std::string_view dbname) const;

    // postgresql://user@host:port/dbname: for log lines and error messages.
    const std::string& redacted() const { return redacted_; }

private:
    void set_redacted();

    std::vector<std::pair<std::string, std::string>> params_; // libpq keyword -> value
    std::string redacted_;
};

} // namespace streamscope::config

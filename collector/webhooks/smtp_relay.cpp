#include "collector/webhooks/smtp_relay.hpp"

#include <charconv>

#include <boost/url/parse.hpp>

#include "common/text/ascii_case.hpp"

namespace streamscope::webhooks {
namespace {

constexpr std::string_view url_shape =
    "smtp://[user:password@]host[:port][?starttls=off] or smtps://[user:password@]host[:port]";

config::invalid_setting bad_url(std::string_view why) {
    return {"SMTP_URL " + std::string(why) + " (" + std::string(url_shape) + ")"};
}

} // namespace

boost::system::result<smtp_relay, config::invalid_setting> smtp_relay::parse(std::string_view url) {
    const auto parsed = boost::urls::parse_uri(url);
    if (!parsed) {
        return bad_url("is not a URL");
    }
    smtp_relay out;
    const std::string scheme = text::ascii_lower(parsed->scheme());
    if (scheme == "smtps") {
        out.tls = security::implicit_tls;
    } else if (scheme != "smtp") {
        return bad_url("must start with smtp:// or smtps://");
    }
    switch (parsed->host_type()) {
    case boost::urls::host_type::name:
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::ipv6:
        out.host = parsed->host_address();
        break;
    default:
        break;
    }
    if (out.host.empty()) {
        return bad_url("names no host");
    }
    if (parsed->has_port()) {
        const std::string_view port = parsed->port();
        unsigned number = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
        if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || number < 1 ||
            number > 65535) {
            return bad_url("has a port outside 1-65535");
        }
        out.port = std::to_string(number);
    } else {
        out.port = out.tls == security::implicit_tls ? "465" : "587";
    }
    if (parsed->has_userinfo()) {
        out.user = parsed->user();
        out.password = config::secret(parsed->password());
        if (out.user.empty() || !parsed->has_password() || out.password.empty()) {
            return bad_url("has a user name without a password, or a password without a user");
        }
    }
    if (!parsed->encoded_path().empty() && parsed->encoded_path() != "/") {
        return bad_url("has a path: a relay is a host and a port");
    }
    if (parsed->has_fragment()) {
        return bad_url("has a fragment");
    }
    for (const auto& param : parsed->params()) {
        if (param.key == "starttls" && param.has_value && param.value == "off" &&
            out.tls == security::starttls) {
            out.tls = security::none;
        } else if (!(param.key == "starttls" && param.has_value && param.value == "on" &&
                     out.tls == security::starttls)) {
            return bad_url("takes no parameter but starttls=off (or on), and that only with "
                           "smtp://");
        }
    }
    return out;
}

std::string smtp_relay::to_string() const {
    const bool v6 = host.find(':') != std::string::npos;
    return std::string(tls == security::implicit_tls ? "smtps://" : "smtp://") +
           (v6 ? "[" + host + "]" : host) + ":" + port +
           (tls == security::none ? "?starttls=off" : "");
}

} // namespace streamscope::webhooks

#include "collector/webhooks/smtp_protocol.hpp"

#include "collector/webhooks/readable.hpp"
#include "common/text/ascii_case.hpp"
#include "common/text/base64.hpp"

namespace streamscope::webhooks {
namespace {

constexpr std::size_t longest_reply_text = 300;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

} // namespace

std::string smtp_reply::text() const {
    std::string joined;
    for (const auto& line : lines) {
        if (!joined.empty() && !line.empty()) {
            joined += ' ';
        }
        joined += line;
    }
    return shorten(one_line(joined), longest_reply_text);
}

reply_reader::state reply_reader::add(std::string_view line) {
    if (line.size() < 3 || line[0] < '2' || line[0] > '5' || !is_digit(line[1]) ||
        !is_digit(line[2]) || (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
        return state::malformed;
    }
    const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (!reply_.lines.empty() && code != reply_.code) {
        return state::malformed;
    }
    reply_.code = code;
    reply_.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view{});
    return line.size() > 3 && line[3] == '-' ? state::more : state::complete;
}

smtp_reply reply_reader::take() {
    smtp_reply out = std::move(reply_);
    reply_ = {};
    return out;
}

ehlo_offer read_ehlo(const smtp_reply& reply) {
    ehlo_offer offer;
    // The first line greets; each further one names an extension and its parameters.
    for (std::size_t i = 1; i < reply.lines.size(); ++i) {
        const std::string line = text::ascii_lower(reply.lines[i]);
        std::string_view rest = line;
        const std::string_view keyword = rest.substr(0, rest.find(' '));
        if (keyword == "starttls") {
            offer.starttls = true;
        } else if (keyword == "auth") {
            rest.remove_prefix(keyword.size());
            while (!rest.empty()) {
                if (rest.front() == ' ') {
                    rest.remove_prefix(1);
                    continue;
                }
                const std::string_view mechanism = rest.substr(0, rest.find(' '));
                offer.auth_plain = offer.auth_plain || mechanism == "plain";
                offer.auth_login = offer.auth_login || mechanism == "login";
                rest.remove_prefix(mechanism.size());
            }
        }
    }
    return offer;
}

std::string auth_plain_response(std::string_view user, std::string_view password) {
    std::string credentials;
    credentials += '\0';
    credentials += user;
    credentials += '\0';
    credentials += password;
    return text::base64::encode(credentials);
}

std::string data_payload(std::string_view message) {
    std::string out;
    out.reserve(message.size() + message.size() / 64 + 5);
    std::size_t at = 0;
    while (at < message.size()) {
        std::size_t end = message.find('\n', at);
        if (end == std::string_view::npos) {
            end = message.size();
        }
        std::string_view line = message.substr(at, end - at);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (line.starts_with('.')) {
            out += '.';
        }
        out += line;
        out += "\r\n";
        at = end + 1;
    }
    out += ".\r\n";
    return out;
}

std::string ehlo_name(const boost::asio::ip::address& local) {
    // Appends only: GCC 12 warns about "[" + std::string with a false -Wrestrict (PR 105329).
    std::string out = "[";
    if (local.is_v6() && !local.to_v6().is_v4_mapped()) {
        out += "IPv6:";
        out += local.to_string();
    } else {
        const auto v4 = local.is_v4() ? local.to_v4()
                                      : boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped,
                                                                         local.to_v6());
        out += v4.to_string();
    }
    out += ']';
    return out;
}

} // namespace streamscope::webhooks

#include "collector/webhooks/mail_message.hpp"

#include <array>
#include <cstdio>
#include <stdexcept>

#include <openssl/rand.h>

#include "collector/webhooks/readable.hpp"
#include "common/text/base64.hpp"
#include "common/text/trim.hpp"
#include "common/text/utf8.hpp"

namespace streamscope::webhooks {
namespace {

constexpr std::size_t folded_line = 78;
constexpr std::size_t quoted_printable_line = 76;
// UTF-8 bytes per encoded-word: "=?UTF-8?B?" + base64 of 39 bytes (52) + "?=" is 64, so that
// "Subject: " and one encoded-word stay within RFC 2047's 76 a line.
constexpr std::size_t encoded_word_bytes = 39;
constexpr std::string_view crlf = "\r\n";

constexpr std::size_t longest_plain_word = 60;

bool plain_subject(std::string_view subject) {
    std::size_t run = 0; // characters since the last blank: a longer word cannot be folded
    for (const char c : subject) {
        if (c < ' ' || c > '~') {
            return false;
        }
        run = c == ' ' ? 0 : run + 1;
        if (run > longest_plain_word) {
            return false;
        }
    }
    // "=?" would start an encoded-word: such a subject is encoded too, to be read as written.
    return subject.find("=?") == std::string_view::npos;
}

// "Subject: ..." as one header, folded: plain ASCII as it is (folded at blanks), anything else
// (or a word too long to fold) as encoded-words of whole code points.
std::string subject_header(std::string_view subject) {
    std::string header = "Subject:";
    if (plain_subject(subject)) {
        std::size_t line = header.size();
        std::size_t at = 0;
        while (at < subject.size()) {
            const std::size_t blank = subject.find(' ', at + 1);
            const std::string_view word = subject.substr(
                at, blank == std::string_view::npos ? std::string_view::npos : blank - at);
            const bool first = at == 0;
            if (!first && line + word.size() > folded_line) {
                header += crlf; // the word keeps its leading blank: the fold's whitespace
                line = 0;
            }
            if (first) {
                header += ' ';
                ++line;
            }
            header += word;
            line += word.size();
            at += word.size();
        }
        return header;
    }
    std::size_t at = 0;
    bool first = true;
    while (at < subject.size() || first) {
        std::size_t end = at;
        while (end < subject.size()) {
            const std::size_t length =
                std::max<std::size_t>(1, text::utf8_sequence_length(subject, end));
            if (end + length - at > encoded_word_bytes) {
                break;
            }
            end += length;
        }
        header += first ? " " : "\r\n ";
        header += "=?UTF-8?B?" + text::base64::encode(subject.substr(at, end - at)) + "?=";
        at = end;
        first = false;
    }
    return header;
}

std::string to_header(const std::vector<std::string>& to) {
    std::string header = "To:";
    std::size_t line = header.size();
    for (std::size_t i = 0; i < to.size(); ++i) {
        const std::string part = " " + to[i] + (i + 1 < to.size() ? "," : "");
        if (i > 0 && line + part.size() > folded_line) {
            header += crlf;
            line = 0;
        }
        header += part;
        line += part.size();
    }
    return header;
}

std::string date_header(std::chrono::system_clock::time_point date) {
    using namespace std::chrono;
    static constexpr std::array<const char*, 7> weekdays{"Sun", "Mon", "Tue", "Wed",
                                                         "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto day = floor<days>(date);
    const year_month_day ymd{day};
    const weekday wd{day};
    const hh_mm_ss tod{floor<seconds>(date - day)};
    char text[64];
    const int n = std::snprintf(
        text, sizeof text, "Date: %s, %02u %s %04d %02d:%02d:%02d +0000", weekdays[wd.c_encoding()],
        unsigned(ymd.day()), months[unsigned(ymd.month()) - 1], int(ymd.year()),
        int(tod.hours().count()), int(tod.minutes().count()), int(tod.seconds().count()));
    return std::string(text, static_cast<std::size_t>(n));
}

// One line of the body (without its line break) in quoted-printable (RFC 2045 6.7), with soft
// line breaks so that no encoded line passes 76 characters.
void append_quoted_printable(std::string& out, std::string_view line) {
    static constexpr std::string_view hex = "0123456789ABCDEF";
    std::size_t width = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const auto byte = static_cast<unsigned char>(line[i]);
        const bool last = i + 1 == line.size();
        const bool literal =
            (byte >= 33 && byte <= 126 && byte != '=') || ((byte == ' ' || byte == '\t') && !last);
        const std::size_t size = literal ? 1 : 3;
        // Room for this character and a soft break's '=' (unless it ends the line).
        if (width + size > quoted_printable_line - (last ? 0 : 1)) {
            out += "=\r\n";
            width = 0;
        }
        if (literal) {
            out += static_cast<char>(byte);
        } else {
            out += '=';
            out += hex[byte >> 4];
            out += hex[byte & 0xF];
        }
        width += size;
    }
}

std::string body_of(std::string_view text) {
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        const bool had_break = end != std::string_view::npos;
        if (!had_break) {
            end = text.size();
        }
        std::string_view line = text.substr(at, end - at);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        append_quoted_printable(out, line);
        out += crlf;
        at = end + 1;
    }
    return out;
}

std::string domain_of(std::string_view address) {
    const auto at = address.rfind('@');
    return std::string(at == std::string_view::npos ? "localhost" : address.substr(at + 1));
}

} // namespace

std::string make_message_id(std::string_view from) {
    std::array<unsigned char, 16> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw std::runtime_error("OpenSSL could not give random bytes for a Message-ID");
    }
    static constexpr std::string_view hex = "0123456789abcdef";
    std::string id = "<";
    for (const unsigned char b : random) {
        id += hex[b >> 4];
        id += hex[b & 0xF];
    }
    id += '@';
    id += domain_of(from);
    id += '>';
    return id;
}

std::string compose_message(const mail& m, std::chrono::system_clock::time_point date,
                            std::string_view message_id) {
    if (!is_mail_address(m.from)) {
        throw std::invalid_argument("not an e-mail address to send from: " + one_line(m.from));
    }
    if (m.to.empty()) {
        throw std::invalid_argument("an e-mail needs at least one recipient");
    }
    for (const auto& address : m.to) {
        if (!is_mail_address(address)) {
            throw std::invalid_argument("not an e-mail address to send to: " + one_line(address));
        }
    }
    std::string out;
    const auto header = [&out](std::string_view line) {
        out += line;
        out += crlf;
    };
    header("From: " + m.from);
    header(to_header(m.to));
    header(subject_header(text::trim_blanks(one_line(m.subject))));
    header(date_header(date));
    header("Message-ID: " + one_line(message_id));
    header("MIME-Version: 1.0");
    header("Content-Type: text/plain; charset=utf-8");
    header("Content-Transfer-Encoding: quoted-printable");
    out += crlf;
    out += body_of(text::replace_invalid_utf8(m.text));
    return out;
}

} // namespace streamscope::webhooks

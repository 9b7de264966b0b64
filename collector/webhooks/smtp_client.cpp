#include "collector/webhooks/smtp_client.hpp"

#include <optional>
#include <vector>

#include <boost/asio/read_until.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "collector/webhooks/smtp_protocol.hpp"
#include "common/http/tls_peer.hpp"
#include "common/http/use_tuple.hpp"
#include "common/text/base64.hpp"
#include "common/webhooks/address_filter.hpp"

namespace streamscope::webhooks {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using http::use_tuple;
using milliseconds = std::chrono::milliseconds;

constexpr std::size_t longest_reply = 64 * 1024;
constexpr std::string_view line_break = "\n";

// The steps as errors name them. The AUTH steps never name what was sent.
constexpr std::string_view step_connect = "connect";
constexpr std::string_view step_handshake = "TLS handshake";
constexpr std::string_view step_greeting = "greeting";
constexpr std::string_view step_ehlo = "EHLO";
constexpr std::string_view step_starttls = "STARTTLS";
constexpr std::string_view step_auth_plain = "AUTH PLAIN";
constexpr std::string_view step_auth_login = "AUTH LOGIN";
constexpr std::string_view step_mail_from = "MAIL FROM";
constexpr std::string_view step_data = "DATA";
constexpr std::string_view step_message = "message";
constexpr std::string_view step_end_of_data = "end of data";
constexpr std::string_view step_quit = "QUIT";

std::string where(const smtp_relay& relay, std::string_view step) {
    return "SMTP relay " + relay.to_string() + ", " + std::string(step) + ": ";
}

smtp_error refused(const smtp_relay& relay, std::string_view step, const smtp_reply& reply) {
    // 4xx: the relay asks to try again later. 5xx, and a reply of another kind than the step
    // expects: sending the same again cannot help.
    const bool temporary = reply.code >= 400 && reply.code < 500;
    return smtp_error(!temporary, std::string(step), reply.code,
                      where(relay, step) + std::to_string(reply.code) + " " + reply.text());
}

smtp_error broken(const smtp_relay& relay, std::string_view step,
                  const boost::system::error_code& ec) {
    const std::string why = ec == beast::error::timeout || ec == asio::error::timed_out
                                ? std::string("no answer within the deadline")
                                : ec.message();
    return smtp_error(false, std::string(step), 0, where(relay, step) + why);
}

smtp_error unusable(const smtp_relay& relay, std::string_view step, const std::string& why) {
    return smtp_error(true, std::string(step), 0, where(relay, step) + why);
}

// The commands and the messages of the session's own failures, made here rather than in the
// coroutines: GCC 12 fails on string literals turned into std::string inside a coroutine's
// body.
std::string rcpt_step(const std::string& address) {
    return "RCPT TO <" + address + ">";
}
std::string mail_from_line(const std::string& address) {
    return "MAIL FROM:<" + address + ">";
}
std::string rcpt_to_line(const std::string& address) {
    return "RCPT TO:<" + address + ">";
}
std::string ehlo_line(const std::string& name) {
    return "EHLO " + name;
}
std::string auth_plain_line(const smtp_relay& relay) {
    return "AUTH PLAIN " + auth_plain_response(relay.user, relay.password.reveal());
}
std::string auth_login_line() {
    return "AUTH LOGIN";
}
std::string starttls_line() {
    return "STARTTLS";
}
std::string data_line() {
    return "DATA";
}
std::string quit_line() {
    return "QUIT";
}
std::string no_starttls() {
    return "the relay does not offer STARTTLS (SMTP_URL's ?starttls=off would send in the clear)";
}
std::string no_auth_mechanism() {
    return "the relay offers neither AUTH PLAIN nor AUTH LOGIN for the URL's credentials";
}
std::string after_starttls() {
    return "the relay sent more after its STARTTLS reply";
}
std::string malformed_reply() {
    return "a reply that is not SMTP";
}
std::string reply_too_long() {
    return "a reply line longer than 64 KiB";
}
std::string no_address() {
    return "the relay's name resolves to no address";
}
std::string untrusted(const std::string& why) {
    return "the certificate is not trusted (" + why + ")";
}

class smtp_session {
public:
    smtp_session(asio::any_io_executor executor, asio::ssl::context& tls, const smtp_relay& relay,
                 const smtp_timeouts& limits)
        : stream_(std::move(executor), tls), relay_(relay), limits_(limits) {}

    beast::tcp_stream& tcp_layer() { return beast::get_lowest_layer(stream_); }

    asio::awaitable<void> connect() {
        // The relay is the operator's, not a subscriber's: no address filter, only the
        // resolver's deadline.
        std::vector<tcp::endpoint> endpoints;
        try {
            endpoints = co_await resolve_allowed(relay_.host, relay_.port, true, limits_.connect);
        } catch (const boost::system::system_error& e) {
            throw broken(relay_, step_connect, e.code());
        } catch (const refused_target&) {
            throw smtp_error(false, std::string(step_connect), 0,
                             where(relay_, step_connect) + no_address());
        }
        tcp_layer().expires_after(limits_.connect);
        auto [ec, endpoint] = co_await tcp_layer().async_connect(endpoints, use_tuple);
        if (ec) {
            throw broken(relay_, step_connect, ec);
        }
        if (relay_.tls == smtp_relay::security::implicit_tls) {
            co_await handshake();
        }
    }

    asio::awaitable<void> handshake() {
        http::expect_peer(stream_.native_handle(), relay_.host);
        tcp_layer().expires_after(limits_.connect);
        auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::client, use_tuple);
        if (ec) {
            if (const auto why = http::certificate_refusal(stream_.native_handle())) {
                throw unusable(relay_, step_handshake, untrusted(*why));
            }
            throw broken(relay_, step_handshake, ec);
        }
        tls_ = true;
    }

    // One reply, all its lines, within `limit`.
    asio::awaitable<smtp_reply> read_reply(std::string_view step, milliseconds limit) {
        reply_reader reader;
        for (;;) {
            tcp_layer().expires_after(limit);
            auto buffer = asio::dynamic_buffer(buffer_, longest_reply);
            std::size_t size = 0;
            boost::system::error_code ec;
            if (tls_) {
                auto [e, n] =
                    co_await asio::async_read_until(stream_, buffer, line_break, use_tuple);
                ec = e;
                size = n;
            } else {
                auto [e, n] = co_await asio::async_read_until(stream_.next_layer(), buffer,
                                                              line_break, use_tuple);
                ec = e;
                size = n;
            }
            if (ec == asio::error::not_found) {
                throw unusable(relay_, step, reply_too_long());
            }
            if (ec) {
                throw broken(relay_, step, ec);
            }
            std::string_view line = std::string_view(buffer_).substr(0, size - 1);
            if (line.ends_with('\r')) {
                line.remove_suffix(1);
            }
            const auto state = reader.add(line);
            buffer_.erase(0, size);
            if (state == reply_reader::state::malformed) {
                throw unusable(relay_, step, malformed_reply());
            }
            if (state == reply_reader::state::complete) {
                co_return reader.take();
            }
        }
    }

    asio::awaitable<void> write(std::string_view step, const std::string& text,
                                milliseconds limit) {
        tcp_layer().expires_after(limit);
        boost::system::error_code ec;
        if (tls_) {
            auto [e, n] = co_await asio::async_write(stream_, asio::buffer(text), use_tuple);
            ec = e;
        } else {
            auto [e, n] =
                co_await asio::async_write(stream_.next_layer(), asio::buffer(text), use_tuple);
            ec = e;
        }
        if (ec) {
            throw broken(relay_, step, ec);
        }
    }

    // `line` and CRLF, and the reply, which must be of the kind `expected` (2 for 2xx, 3 for
    // 3xx).
    asio::awaitable<smtp_reply> command(std::string_view step, std::string line, int expected) {
        line += "\r\n";
        co_await write(step, line, limits_.reply);
        smtp_reply reply = co_await read_reply(step, limits_.reply);
        if (reply.code / 100 != expected) {
            throw refused(relay_, step, reply);
        }
        co_return reply;
    }

    asio::awaitable<ehlo_offer> hello() {
        const auto local = tcp_layer().socket().local_endpoint().address();
        const smtp_reply reply = co_await command(step_ehlo, ehlo_line(ehlo_name(local)), 2);
        co_return read_ehlo(reply);
    }

    asio::awaitable<void> start_tls() {
        co_await command(step_starttls, starttls_line(), 2);
        // Anything the relay sent with its 220 came before encryption, where anyone on the
        // way could have put it (CVE-2011-0411's kind): nothing is read from it.
        if (!buffer_.empty()) {
            throw unusable(relay_, step_starttls, after_starttls());
        }
        co_await handshake();
    }

    asio::awaitable<void> authenticate(const ehlo_offer& offer) {
        if (offer.auth_plain) {
            co_await command(step_auth_plain, auth_plain_line(relay_), 2);
        } else if (offer.auth_login) {
            co_await command(step_auth_login, auth_login_line(), 3);
            co_await command(step_auth_login, text::base64::encode(relay_.user), 3);
            co_await command(step_auth_login, text::base64::encode(relay_.password.reveal()), 2);
        } else {
            throw unusable(relay_, step_auth_plain, no_auth_mechanism());
        }
    }

    asio::awaitable<void> send(const mail& message, const std::string& text) {
        co_await command(step_mail_from, mail_from_line(message.from), 2);
        for (const auto& address : message.to) {
            const std::string step = rcpt_step(address); // outlives the command that names it
            co_await command(step, rcpt_to_line(address), 2);
        }
        co_await command(step_data, data_line(), 3);
        const std::string payload = data_payload(text);
        co_await write(step_message, payload, limits_.data);
        const smtp_reply accepted = co_await read_reply(step_end_of_data, limits_.data);
        if (accepted.code / 100 != 2) {
            throw refused(relay_, step_end_of_data, accepted);
        }
    }

    // After the message was accepted: a QUIT that fails changes nothing.
    asio::awaitable<void> quit() {
        try {
            co_await command(step_quit, quit_line(), 2);
        } catch (const smtp_error&) {
        }
        boost::system::error_code ignored;
        tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
        tcp_layer().close();
    }

private:
    beast::ssl_stream<beast::tcp_stream> stream_;
    const smtp_relay& relay_;
    smtp_timeouts limits_;
    bool tls_ = false;
    std::string buffer_; // what was read past the last reply line
};

std::string composed(const smtp_relay& relay, const mail& message) {
    try {
        return compose_message(message, std::chrono::system_clock::now(),
                               make_message_id(message.from));
    } catch (const std::invalid_argument& e) {
        throw unusable(relay, step_message, e.what());
    }
}

} // namespace

asio::awaitable<void> send_mail(const smtp_relay& relay, asio::ssl::context& tls,
                                const mail& message, smtp_timeouts limits) {
    const std::string text = composed(relay, message);
    smtp_session session(co_await asio::this_coro::executor, tls, relay, limits);
    co_await session.connect();
    const smtp_reply greeting = co_await session.read_reply(step_greeting, limits.reply);
    if (greeting.code / 100 != 2) {
        throw refused(relay, step_greeting, greeting);
    }
    ehlo_offer offer = co_await session.hello();
    if (relay.tls == smtp_relay::security::starttls) {
        if (!offer.starttls) {
            throw unusable(relay, step_starttls, no_starttls());
        }
        co_await session.start_tls();
        offer = co_await session.hello();
    }
    if (!relay.user.empty()) {
        co_await session.authenticate(offer);
    }
    co_await session.send(message, text);
    co_await session.quit();
}

} // namespace streamscope::webhooks

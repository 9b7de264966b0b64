// Sends one e-mail through the collector's SMTP client (collector/webhooks/smtp_client), for
// the SMTP end-to-end test against a real SMTP server:
//
//   streamscope-smtp-send --url SMTP_URL --from ADDRESS --to ADDRESS [--to ADDRESS ...]
//       (--event EVENT.json | --subject TEXT --text-file FILE)
//       [--ca-file PEM] [--timeout-ms N]
//
// --event renders the outbox event as the e-mail target does (webhooks::email_payload).
// Prints "sent" and exits 0 when the relay accepted the message; on an smtp_error prints
// "permanent" or "temporary", the reply code and the step on one line, the message on the
// next, and exits 3 (permanent) or 4 (temporary); any other failure exits 1, bad usage 2.

#include <chrono>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include "collector/webhooks/payloads.hpp"
#include "collector/webhooks/smtp_client.hpp"
#include "common/http/client.hpp"

using namespace streamscope;

namespace {

constexpr int exit_usage = 2;
constexpr int exit_permanent = 3;
constexpr int exit_temporary = 4;

struct arguments {
    std::string url;
    webhooks::mail message;
    std::optional<std::string> event_file;
    std::optional<std::string> text_file;
    std::optional<std::string> ca_file;
    std::optional<long> timeout_ms;
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::optional<arguments> parse(int argc, char** argv) {
    arguments out;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const std::string value = argv[i + 1];
        if (flag == "--url") {
            out.url = value;
        } else if (flag == "--from") {
            out.message.from = value;
        } else if (flag == "--to") {
            out.message.to.push_back(value);
        } else if (flag == "--subject") {
            out.message.subject = value;
        } else if (flag == "--text-file") {
            out.text_file = value;
        } else if (flag == "--event") {
            out.event_file = value;
        } else if (flag == "--ca-file") {
            out.ca_file = value;
        } else if (flag == "--timeout-ms") {
            out.timeout_ms = std::stol(value);
        } else {
            return std::nullopt;
        }
    }
    if (argc % 2 == 0 || out.url.empty() || out.message.from.empty() || out.message.to.empty() ||
        out.event_file.has_value() == out.text_file.has_value()) {
        return std::nullopt;
    }
    return out;
}

} // namespace

int main(int argc, char** argv) {
    const auto args = parse(argc, argv);
    if (!args) {
        std::cerr << "usage: streamscope-smtp-send --url SMTP_URL --from ADDRESS --to ADDRESS "
                     "[--to ADDRESS ...] (--event EVENT.json | --subject TEXT --text-file FILE) "
                     "[--ca-file PEM] [--timeout-ms N]\n";
        return exit_usage;
    }
    try {
        const webhooks::smtp_relay relay = webhooks::smtp_relay::parse(args->url).value();
        webhooks::mail message = args->message;
        if (args->event_file) {
            const auto rendered = webhooks::email_payload(
                boost::json::parse(read_file(*args->event_file)).as_object());
            message.subject = rendered.subject;
            message.text = rendered.text;
        } else {
            message.text = read_file(*args->text_file);
        }
        webhooks::smtp_timeouts limits;
        if (args->timeout_ms) {
            const std::chrono::milliseconds each{*args->timeout_ms};
            limits = {.connect = each, .reply = each, .data = each};
        }
        auto tls = http::make_tls_context(args->ca_file);
        boost::asio::io_context io;
        auto sent = boost::asio::co_spawn(io, webhooks::send_mail(relay, tls, message, limits),
                                          boost::asio::use_future);
        io.run();
        sent.get();
        std::cout << "sent\n";
        return 0;
    } catch (const webhooks::smtp_error& e) {
        std::cout << (e.permanent() ? "permanent" : "temporary") << " code=" << e.code()
                  << " step=" << e.step() << "\n"
                  << e.what() << "\n";
        return e.permanent() ? exit_permanent : exit_temporary;
    } catch (const std::exception& e) {
        std::cout << "failed: " << e.what() << "\n";
        return 1;
    }
}

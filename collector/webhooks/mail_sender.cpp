#include "collector/webhooks/mail_sender.hpp"

#include <boost/json/parse.hpp>

#include "collector/webhooks/mail_message.hpp"
#include "collector/webhooks/payloads.hpp"
#include "collector/webhooks/smtp_client.hpp"
#include "common/json/text.hpp"

namespace streamscope::webhooks {
namespace {

// The mail of a stored payload; throws std::invalid_argument when it is not one.
mail mail_of(const std::string& to, const std::string& payload, const std::string& from) {
    const boost::json::value v = boost::json::parse(payload);
    const auto* subject = v.is_object() ? v.as_object().if_contains("subject") : nullptr;
    const auto* text = v.is_object() ? v.as_object().if_contains("text") : nullptr;
    if (subject == nullptr || text == nullptr || !subject->is_string() || !text->is_string()) {
        throw std::invalid_argument("the stored e-mail payload is not {subject, text}");
    }
    mail m;
    m.from = from;
    m.to.push_back(to);
    m.subject = std::string(subject->get_string());
    m.text = std::string(text->get_string());
    return m;
}

std::string relay_failure(const smtp_error& e) {
    return std::string("the SMTP relay refused the mail: ") + e.what();
}

} // namespace

std::string email_payload_json(const boost::json::object& event) {
    email_content content = email_payload(event);
    boost::json::object out;
    out["subject"] = std::move(content.subject);
    out["text"] = std::move(content.text);
    return json::serialize(out);
}

boost::asio::awaitable<attempt_result> send_email_delivery(std::string to, std::string payload,
                                                           const smtp_relay& relay,
                                                           const std::string& from,
                                                           boost::asio::ssl::context& tls,
                                                           std::chrono::milliseconds timeout) {
    const auto started = std::chrono::steady_clock::now();
    attempt_result out;
    std::optional<mail> message;
    try {
        message = mail_of(to, payload, from);
    } catch (const std::exception& e) {
        out.permanent = true;
        out.error = e.what();
        co_return out;
    }
    smtp_timeouts limits;
    limits.connect = timeout;
    limits.reply = timeout;
    limits.data = timeout;
    try {
        co_await send_mail(relay, tls, *message, limits);
        out.status = 250;
    } catch (const smtp_error& e) {
        out.permanent = e.permanent();
        out.error = relay_failure(e);
    }
    out.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    co_return out;
}

} // namespace streamscope::webhooks

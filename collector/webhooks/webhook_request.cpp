#include "collector/webhooks/webhook_request.hpp"

#include "common/version.hpp"
#include "common/webhooks/signature.hpp"

namespace streamscope::webhooks {

std::string message_id(std::int64_t event_id) {
    return "evt_" + std::to_string(event_id);
}

http::request signed_request(const target_url& target, std::string_view secret,
                             std::int64_t event_id, std::int64_t unix_seconds, std::string body,
                             std::string_view content_type) {
    namespace bh = boost::beast::http;
    const std::string id = message_id(event_id);
    http::request req{bh::verb::post, target.target, 11};
    const bool default_port =
        (target.tls && target.port == "443") || (!target.tls && target.port == "80");
    const bool ipv6 = target.host.find(':') != std::string::npos;
    std::string host = ipv6 ? "[" + target.host + "]" : target.host;
    if (!default_port) {
        host += ":" + target.port;
    }
    req.set(bh::field::host, host);
    req.set(bh::field::user_agent, std::string("streamscope-webhooks/") + std::string(version));
    req.set(bh::field::content_type, content_type);
    req.set("webhook-id", id);
    req.set("webhook-timestamp", std::to_string(unix_seconds));
    req.set("webhook-signature", sign(secret, id, unix_seconds, body));
    req.keep_alive(false);
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
}

} // namespace streamscope::webhooks

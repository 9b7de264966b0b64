#pragma once
// An event as the target of a subscription takes it: the event itself as JSON (the Standard
// Webhooks payload, signed as it is sent), a Slack incoming-webhook message, a Discord webhook
// message, or an e-mail's subject and text. The readable ones say the event's sentence
// (event_text) with a link to the stream, escaped as each service needs and within its limits,
// so that no title can break the message, mention everyone or add a line to a mail header.

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/webhooks/subscription.hpp"

namespace streamscope::webhooks {

// What a webhook POSTs.
struct http_payload {
    std::string content_type;
    std::string body;
};

// The event object as it is, compact, numbers in plain notation (json::serialize). The outbox
// holds valid UTF-8; the body is what is signed.
http_payload json_payload(const boost::json::object& event);

// {"text", "blocks"}: the sentence in Slack's mrkdwn with the stream as a <url|name> link, &,
// < and > escaped (so no <!everyone> or link can come from a title), within a section block's
// 3,000 characters; a context block says the platform, the type and the time. The text is also
// the notification's.
http_payload slack_payload(const boost::json::object& event);

// {"embeds": [{"title", "url", "description", "fields", "timestamp", "footer"}],
// "allowed_mentions": {"parse": []}}: the headline as the title (at most 256 characters), the
// sentence as the description (at most 4,096), the facts as fields (names at most 256, values
// 1,024), 6,000 in all; no mention in it pings anyone. Discord's markdown is left as it is.
http_payload discord_payload(const boost::json::object& event);

struct email_content {
    std::string subject; // the headline: one line, at most 200 characters
    std::string text;    // text/plain, lines ending in "\n": the sentence, the link, the facts
};

email_content email_payload(const boost::json::object& event);

} // namespace streamscope::webhooks

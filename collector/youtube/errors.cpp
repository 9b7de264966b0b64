#include "collector/youtube/errors.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <vector>

#include <boost/json/parse.hpp>

#include "common/text/utf8.hpp"

namespace streamscope::youtube {
namespace json = boost::json;

namespace {

constexpr std::size_t max_message_bytes = 300;

google_error by_status(unsigned status) {
    if (status == 400) {
        return google_error::bad_request;
    }
    if (status == 401) {
        return google_error::key_invalid;
    }
    if (status == 404) {
        return google_error::not_found;
    }
    if (status == 429) {
        return google_error::rate_limited;
    }
    if (status >= 500 && status <= 599) {
        return google_error::server_error;
    }
    return google_error::other;
}

bool one_of(std::string_view reason, std::initializer_list<std::string_view> reasons) {
    for (const std::string_view r : reasons) {
        if (reason == r) {
            return true;
        }
    }
    return false;
}

bool is_key_reason(std::string_view reason) {
    return reason.starts_with("API_KEY_") ||
           one_of(reason, {"keyInvalid", "keyExpired", "ipRefererBlocked", "accessNotConfigured",
                           "SERVICE_DISABLED"});
}

// The kinds a reason decides, most decisive first: a key problem hides every other (nothing
// works until it is fixed), and a spent day hides a short-term limit.
constexpr std::array<google_error, 6> by_precedence{
    google_error::key_invalid, google_error::quota_exceeded, google_error::rate_limited,
    google_error::not_found,   google_error::server_error,   google_error::bad_request};

bool decides(google_error kind, std::string_view reason) {
    switch (kind) {
    case google_error::key_invalid:
        return is_key_reason(reason);
    case google_error::quota_exceeded:
        return one_of(reason, {"quotaExceeded", "dailyLimitExceeded", "dailyLimitExceededUnreg"});
    case google_error::rate_limited:
        return one_of(reason,
                      {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"});
    case google_error::not_found:
        return reason == "notFound" || reason.ends_with("NotFound");
    case google_error::server_error:
        return one_of(reason, {"backendError", "internalError"});
    case google_error::bad_request:
        return reason.starts_with("invalid") ||
               one_of(reason, {"badRequest", "required", "parseError", "unknownPart",
                               "unexpectedParameter", "missingRequiredParameter"});
    case google_error::other:
        break;
    }
    return false;
}

// The "reason" strings of the objects in `error[key]`, in order.
void collect_reasons(const json::object& error, std::string_view key,
                     std::vector<std::string_view>& out) {
    const json::value* list = error.if_contains(key);
    if (list == nullptr || !list->is_array()) {
        return;
    }
    for (const json::value& item : list->get_array()) {
        const json::object* o = item.if_object();
        const json::value* reason = o != nullptr ? o->if_contains("reason") : nullptr;
        if (reason != nullptr && reason->is_string() && !reason->get_string().empty()) {
            out.emplace_back(reason->get_string());
        }
    }
}

// `text` without HTML tags: a '<' followed by a letter, '/', '!' or '?' up to the next '>'. A
// '<' that starts no tag ("a < b"), or one never closed, stays.
std::string strip_tags(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        if (text[at] == '<' && at + 1 < text.size()) {
            const char next = text[at + 1];
            const bool starts_tag = (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') ||
                                    next == '/' || next == '!' || next == '?';
            const std::size_t end = starts_tag ? text.find('>', at + 1) : std::string_view::npos;
            if (end != std::string_view::npos) {
                at = end + 1;
                continue;
            }
        }
        out += text[at++];
    }
    return out;
}

// At most max_message_bytes of `text`, not cutting a UTF-8 sequence in two.
std::string truncated(std::string text) {
    if (text.size() <= max_message_bytes) {
        return text;
    }
    std::size_t end = 0;
    while (end < text.size()) {
        const std::size_t length = std::max<std::size_t>(text::utf8_sequence_length(text, end), 1);
        if (end + length > max_message_bytes) {
            break;
        }
        end += length;
    }
    text.resize(end);
    return text;
}

google_error_info classify(unsigned status, std::string_view body) {
    google_error_info info;
    info.kind = by_status(status);
    boost::system::error_code ec;
    const json::value parsed = json::parse(body, ec);
    const json::object* top = ec ? nullptr : parsed.if_object();
    const json::value* error_value = top != nullptr ? top->if_contains("error") : nullptr;
    const json::object* error = error_value != nullptr ? error_value->if_object() : nullptr;
    if (error == nullptr) {
        return info;
    }
    if (const json::value* message = error->if_contains("message");
        message != nullptr && message->is_string()) {
        info.message = truncated(strip_tags(message->get_string()));
    }
    std::vector<std::string_view> reasons;
    collect_reasons(*error, "errors", reasons);
    collect_reasons(*error, "details", reasons);
    if (const json::value* s = error->if_contains("status");
        s != nullptr && s->is_string() && !s->get_string().empty()) {
        reasons.emplace_back(s->get_string());
    }
    if (reasons.empty()) {
        return info;
    }
    info.reason = std::string(reasons.front());
    for (const google_error kind : by_precedence) {
        for (const std::string_view reason : reasons) {
            if (decides(kind, reason)) {
                info.kind = kind;
                info.reason = std::string(reason);
                return info;
            }
        }
    }
    return info;
}

} // namespace

google_error_info classify_error(unsigned http_status, std::string_view body) noexcept {
    try {
        return classify(http_status, body);
    } catch (...) {
        // Out of memory: what the status says, without text (an empty string allocates nothing).
        google_error_info info;
        info.kind = by_status(http_status);
        return info;
    }
}

std::string_view to_string(google_error kind) {
    switch (kind) {
    case google_error::quota_exceeded:
        return "quota_exceeded";
    case google_error::rate_limited:
        return "rate_limited";
    case google_error::key_invalid:
        return "key_invalid";
    case google_error::not_found:
        return "not_found";
    case google_error::bad_request:
        return "bad_request";
    case google_error::server_error:
        return "server_error";
    case google_error::other:
        break;
    }
    return "other";
}

} // namespace streamscope::youtube

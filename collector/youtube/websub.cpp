#include "collector/youtube/websub.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <boost/url/parse.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "collector/youtube/ids.hpp"

namespace streamscope::youtube {
namespace {

constexpr std::string_view topic_prefix =
    "https://www.youtube.com/xml/feeds/videos.xml?channel_id=";
constexpr std::string_view signature_prefix = "sha1=";
constexpr std::size_t sha1_bytes = 20;

// Form encoding (RFC 3986 unreserved characters kept, everything else %XX).
void append_form_value(std::string& out, std::string_view value) {
    constexpr std::string_view hex = "0123456789ABCDEF";
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0x0F]);
        }
    }
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
    if (!out.empty()) {
        out.push_back('&');
    }
    out.append(name);
    out.push_back('=');
    append_form_value(out, value);
}

std::array<unsigned char, sha1_bytes> hmac_sha1(std::string_view body,
                                                const config::secret& secret) {
    std::array<unsigned char, sha1_bytes> digest{};
    unsigned int length = 0;
    HMAC(EVP_sha1(), secret.reveal().data(), static_cast<int>(secret.reveal().size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest.data(), &length);
    return digest;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

} // namespace

std::string websub_topic(std::string_view channel_id) {
    std::string out(topic_prefix);
    out.append(channel_id);
    return out;
}

std::optional<std::string> websub_topic_channel(std::string_view topic) {
    if (!topic.starts_with(topic_prefix)) {
        return std::nullopt;
    }
    const std::string_view id = topic.substr(topic_prefix.size());
    if (!is_channel_id(id)) {
        return std::nullopt;
    }
    return std::string(id);
}

std::optional<std::string> websub_callback_path(std::string_view url) {
    const auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") ||
        parsed->host().empty() || parsed->has_query() || parsed->has_fragment()) {
        return std::nullopt;
    }
    std::string path(parsed->encoded_path());
    if (path.size() < 2 || path.front() != '/') {
        return std::nullopt;
    }
    return path;
}

std::string websub_form(std::string_view callback, bool subscribe, std::string_view channel_id,
                        std::chrono::seconds lease, const config::secret& secret) {
    std::string out;
    append_field(out, "hub.callback", callback);
    append_field(out, "hub.mode", subscribe ? "subscribe" : "unsubscribe");
    append_field(out, "hub.topic", websub_topic(channel_id));
    append_field(out, "hub.verify", "async");
    if (subscribe) {
        append_field(out, "hub.lease_seconds", std::to_string(lease.count()));
    }
    if (!secret.empty()) {
        append_field(out, "hub.secret", secret.reveal());
    }
    return out;
}

std::string websub_signature(std::string_view body, const config::secret& secret) {
    constexpr std::string_view hex = "0123456789abcdef";
    std::string out(signature_prefix);
    for (const unsigned char b : hmac_sha1(body, secret)) {
        out.push_back(hex[b >> 4]);
        out.push_back(hex[b & 0x0F]);
    }
    return out;
}

bool websub_signature_valid(std::string_view header, std::string_view body,
                            const config::secret& secret) {
    if (!header.starts_with(signature_prefix) ||
        header.size() != signature_prefix.size() + 2 * sha1_bytes) {
        return false;
    }
    const std::string_view digits = header.substr(signature_prefix.size());
    std::array<unsigned char, sha1_bytes> given{};
    for (std::size_t i = 0; i < sha1_bytes; ++i) {
        const int high = hex_value(digits[2 * i]);
        const int low = hex_value(digits[2 * i + 1]);
        if (high < 0 || low < 0) {
            return false;
        }
        given[i] = static_cast<unsigned char>(high * 16 + low);
    }
    const auto expected = hmac_sha1(body, secret);
    return CRYPTO_memcmp(given.data(), expected.data(), sha1_bytes) == 0;
}

std::chrono::seconds websub_renew_after(std::chrono::seconds lease) {
    return std::max(std::chrono::seconds(60), lease * 4 / 5);
}

void websub_table::set_watchlist(const std::vector<std::string>& channel_ids,
                                 clock::time_point now) {
    const std::set<std::string, std::less<>> watched(channel_ids.begin(), channel_ids.end());
    for (auto& [id, e] : entries_) {
        if (e.subscribe && !watched.contains(id)) {
            e = entry{
                .subscribe = false, .verified = false, .lease = {}, .next_at = now, .attempts = 0};
        }
    }
    for (const std::string& id : watched) {
        auto [it, added] = entries_.try_emplace(id);
        if (added || !it->second.subscribe) {
            it->second = entry{
                .subscribe = true, .verified = false, .lease = {}, .next_at = now, .attempts = 0};
        }
    }
}

std::optional<websub_table::due> websub_table::next_due(clock::time_point now) const {
    const entry* first = nullptr;
    const std::string* first_id = nullptr;
    for (const auto& [id, e] : entries_) {
        if (e.next_at <= now && (first == nullptr || e.next_at < first->next_at)) {
            first = &e;
            first_id = &id;
        }
    }
    if (first == nullptr) {
        return std::nullopt;
    }
    return due{.channel_id = *first_id, .subscribe = first->subscribe};
}

bool websub_table::sent(const std::string& channel_id, bool accepted, clock::time_point now) {
    const auto it = entries_.find(channel_id);
    if (it == entries_.end()) {
        return false;
    }
    entry& e = it->second;
    if (accepted) {
        e.attempts = 0;
        // Until the hub verifies (which sets the renewal), ask again after a while.
        e.next_at = now + verify_wait;
        return false;
    }
    ++e.attempts;
    if (e.attempts >= max_attempts) {
        e.attempts = 0;
        e.next_at = now + gave_up_pause;
        return true;
    }
    e.next_at = now + first_retry * (1 << (e.attempts - 1));
    return false;
}

websub_table::verdict websub_table::verify(std::string_view mode, std::string_view topic,
                                           std::chrono::seconds lease, clock::time_point now) {
    const auto channel = websub_topic_channel(topic);
    if (!channel || (mode != "subscribe" && mode != "unsubscribe")) {
        return verdict::refuse;
    }
    const auto it = entries_.find(*channel);
    if (it == entries_.end() || it->second.subscribe != (mode == "subscribe")) {
        return verdict::refuse;
    }
    if (mode == "unsubscribe") {
        entries_.erase(it);
        return verdict::confirm;
    }
    if (lease.count() <= 0) {
        return verdict::refuse; // a subscription verification always carries a lease
    }
    entry& e = it->second;
    e.verified = true;
    e.lease = lease;
    e.attempts = 0;
    e.next_at = now + websub_renew_after(lease);
    return verdict::confirm;
}

bool websub_table::wants(std::string_view channel_id) const {
    const auto it = entries_.find(channel_id);
    return it != entries_.end() && it->second.subscribe;
}

} // namespace streamscope::youtube

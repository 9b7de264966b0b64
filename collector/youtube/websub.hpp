#pragma once
// WebSub (shared/platform-apis.md §3.3), the pure parts: the topic of a channel, the form sent
// to the hub, the check of a push's X-Hub-Signature, and the table of subscriptions (what was
// asked, what the hub verified, when each is renewed or retried). No I/O; time is passed in.
// Not thread-safe: one owner (the subscriber, on the collector's io_context thread).

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/secret.hpp"

namespace streamscope::youtube {

// https://www.youtube.com/xml/feeds/videos.xml?channel_id=ID
std::string websub_topic(std::string_view channel_id);
// The channel id of such a topic; nullopt for any other text.
std::optional<std::string> websub_topic_channel(std::string_view topic);

// The path of an http:// or https:// URL with a host ("/youtube/websub"); nullopt when `url`
// is not one, has no path beyond "/", or has a query or fragment.
std::optional<std::string> websub_callback_path(std::string_view url);

// The application/x-www-form-urlencoded body of a subscription request (hub.verify=async);
// hub.secret only when `secret` is not empty.
std::string websub_form(std::string_view callback, bool subscribe, std::string_view channel_id,
                        std::chrono::seconds lease, const config::secret& secret);

// Whether `header` (X-Hub-Signature: "sha1=" and 40 hex digits) is the HMAC-SHA1 of `body`
// under `secret`. false for a missing ("") or malformed header. Compares in constant time.
bool websub_signature_valid(std::string_view header, std::string_view body,
                            const config::secret& secret);
// "sha1=" + the hex HMAC-SHA1 of `body` under `secret` (what a hub sends).
std::string websub_signature(std::string_view body, const config::secret& secret);

// When a subscription the hub granted for `lease` is renewed: at 80% of it (at least a minute
// on, so that a hub granting seconds cannot make us spin).
std::chrono::seconds websub_renew_after(std::chrono::seconds lease);

class websub_table {
public:
    using clock = std::chrono::steady_clock;

    // Requests to the hub that fail are retried this many times, backing off; then the
    // channel waits `gave_up_pause` (the feed poller still covers it).
    static constexpr int max_attempts = 5;
    static constexpr std::chrono::seconds first_retry{30};
    static constexpr std::chrono::seconds gave_up_pause{3600};
    // A request the hub accepted but never verified is sent again after this.
    static constexpr std::chrono::seconds verify_wait{600};

    struct due {
        std::string channel_id;
        bool subscribe = true; // false: unsubscribe
    };

    // The watchlist now: new channels are due to subscribe, channels gone from it to
    // unsubscribe (their pushes are refused from now on).
    void set_watchlist(const std::vector<std::string>& channel_ids, clock::time_point now);

    // The first request due at `now`, if any.
    std::optional<due> next_due(clock::time_point now) const;

    // The request for `channel_id` was sent: `accepted` when the hub answered 2xx. Returns
    // true when the retries are used up (the caller logs it; the channel waits).
    bool sent(const std::string& channel_id, bool accepted, clock::time_point now);

    enum class verdict { confirm, refuse };
    // The hub's verification GET: confirmed only for a topic this table asked for in that mode;
    // a confirmed subscription is renewed at websub_renew_after(lease), a confirmed
    // unsubscription leaves the table.
    verdict verify(std::string_view mode, std::string_view topic, std::chrono::seconds lease,
                   clock::time_point now);

    // Whether pushes about `channel_id` are taken: a watched channel we subscribed to.
    bool wants(std::string_view channel_id) const;

    // Forgets everything (this collector no longer leads YouTube).
    void clear() { entries_.clear(); }

    struct entry {
        bool subscribe = true;
        bool verified = false;
        std::chrono::seconds lease{0};
        clock::time_point next_at{};
        int attempts = 0;
    };
    const std::map<std::string, entry, std::less<>>& entries() const { return entries_; }

private:
    std::map<std::string, entry, std::less<>> entries_;
};

} // namespace streamscope::youtube

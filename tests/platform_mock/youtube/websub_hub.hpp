#pragma once
// YouTube's WebSub hub as the mock plays it: POST /youtube/websub/subscribe (a form) is
// answered 202 and verified afterwards by a GET of the callback with a random challenge and
// lease; a subscription counts once the callback echoed the challenge. Notifications (a
// channel's new or live video) are POSTed as Atom to the verified callbacks of its topic,
// signed with X-Hub-Signature when the subscriber gave a secret. The hub makes no requests
// itself: it queues them (at most max_outgoing) for the server, which reports each answer
// back. Pure logic; single-threaded.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "tests/platform_mock/rng.hpp"

namespace streamscope::platform_mock::youtube {

// A request the server is to make: plain HTTP to host:port.
struct outgoing_call {
    std::uint64_t id = 0;
    std::string method; // GET or POST
    std::string host;
    std::string port;
    std::string target; // path and query
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

class websub_hub {
public:
    static constexpr std::size_t max_outgoing = 1000;
    static constexpr std::size_t max_subscriptions = 10'000;

    explicit websub_hub(std::uint64_t seed) : rng_(seed) {}

    // The form of a subscription request: the status to answer (202, or 400 with `problem`).
    unsigned subscribe(std::string_view form, std::string& problem);

    // Queues the notification of `video_id` (titled `title`) of `channel_id` to every
    // verified subscription of its topic; returns how many were queued.
    std::size_t notify(std::string_view channel_id, std::string_view video_id,
                       std::string_view title);

    // The requests to make now (taken off the queue).
    std::vector<outgoing_call> take_outgoing();
    // What the callback answered to call `id` (0 status: no answer).
    void answered(std::uint64_t id, unsigned status, std::string_view body);

    // [{topic, callback, lease_seconds, verified, signed, notifications, refused}]
    boost::json::value list() const;

private:
    struct subscription {
        std::string callback;
        std::string topic;
        std::string secret;
        std::int64_t lease = 0;
        bool verified = false;
        std::uint64_t notified = 0;
        std::uint64_t refused = 0; // pushes answered other than 2xx
    };
    struct pending {
        std::string key;       // of the subscription
        std::string challenge; // verification: what must come back
        bool subscribe = true;
    };
    bool queue(outgoing_call call);

    rng rng_;
    std::uint64_t next_id_ = 1;
    std::map<std::string, subscription> subscriptions_; // by callback + " " + topic
    std::map<std::uint64_t, pending> pending_;
    std::deque<outgoing_call> outgoing_;
};

} // namespace streamscope::platform_mock::youtube

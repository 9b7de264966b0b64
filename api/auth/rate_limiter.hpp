#pragma once
// Requests a minute per client, as token buckets: a client (a key, or the address of an
// anonymous client) may make `per_minute` requests in a burst and then one every 60/per_minute
// seconds. Every limited answer says where its client stands, in the headers of the IETF
// draft (draft-ietf-httpapi-ratelimit-headers): RateLimit-Limit, RateLimit-Remaining and
// RateLimit-Reset (seconds until the bucket is full again), and Retry-After on a 429.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/http/message.hpp"

namespace streamscope::api {

class rate_limiter {
public:
    // At most `max_clients` buckets are kept (bounded memory whatever the number of addresses
    // that call); a bucket that has refilled is the same as none and goes first.
    explicit rate_limiter(std::size_t max_clients) : max_clients_(max_clients) {}

    struct verdict {
        bool allowed = true;
        unsigned limit = 0;                  // requests a minute
        unsigned remaining = 0;              // requests that could be made right now
        std::chrono::seconds reset{0};       // until the bucket is full again
        std::chrono::seconds retry_after{0}; // until the next request is allowed (when refused)
    };

    // Takes one request from `client`'s bucket.
    verdict take(const std::string& client, unsigned per_minute,
                 std::chrono::steady_clock::time_point now);

    std::size_t clients() const;

private:
    struct bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point at{};
        unsigned per_minute = 0;
    };
    // Drops buckets that have refilled by `now`; all of them if that frees less than a tenth.
    void make_room(std::chrono::steady_clock::time_point now);

    std::size_t max_clients_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, bucket> buckets_; // guarded by mutex_
};

// The RateLimit-* headers of `v`, and Retry-After when it refused.
void add_rate_headers(http::response& res, const rate_limiter::verdict& v);

} // namespace streamscope::api

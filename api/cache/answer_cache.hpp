#pragma once
// Live data changes once per sweep, so a rendered answer stays right until the next sweep
// row is stored. The cache keeps answers by request target for the current data version (the
// newest sweep id, read at most once a second) and serves them with an ETag; a request with
// a matching If-None-Match gets 304 and no body. Answers large enough to be worth it are kept
// gzipped as well, so that clients that accept gzip cost one compression per sweep, not one
// per request.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/db/pool.hpp"
#include "common/http/handler.hpp"

namespace streamscope::api {

class answer_cache {
public:
    explicit answer_cache(db::pool& db, std::size_t max_entries = 2000);

    // Wraps a handler whose answers depend only on the target and the stored sweeps.
    http::handler cached(http::handler inner);

    std::uint64_t hits() const { return hits_.load(); }
    std::uint64_t misses() const { return misses_.load(); }

    // One rendered answer.
    struct entry {
        std::int64_t version = 0;
        unsigned status = 200;
        std::string content_type;
        std::string content_disposition;
        std::string body;
        std::string etag;
        std::string gzipped; // the body gzipped; empty when it is too small to compress
        std::string gzipped_etag;
    };

private:
    boost::asio::awaitable<std::int64_t> version();
    // Counts a hit. Entries are shared, not copied: a hit costs no copy of the body.
    std::shared_ptr<const entry> find(const std::string& key, std::int64_t current);

    db::pool& db_;
    std::size_t max_entries_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const entry>> entries_;
    std::unordered_set<std::string> rendering_; // keys whose answer a request is rendering
    std::int64_t version_ = -1;
    std::chrono::steady_clock::time_point checked_{};
    bool refreshing_ = false; // a request is reading the newest sweep id
    std::atomic<std::uint64_t> hits_{0};
    std::atomic<std::uint64_t> misses_{0};
};

} // namespace streamscope::api

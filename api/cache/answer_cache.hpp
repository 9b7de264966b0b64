#pragma once
// Live data changes once per sweep, so a rendered answer stays right until the next sweep
// row is stored. The cache keeps answers by request for the current data version (the newest
// sweep id, read at most once a second) and serves them with an ETag; a request with a
// matching If-None-Match gets 304 and no body. Answers large enough to be worth it are kept
// gzipped as well, so that clients that accept gzip cost one compression per sweep, not one
// per request.
//
// The cache is bounded in bytes, least recently used first out, and keyed on the decoded path
// and the decoded parameters in name order, so that spelling a request differently (escapes,
// parameter order) finds the same answer. Values are not interpreted: `limit=050` and
// `limit=50` are two entries, each counted against the budget.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "common/db/pool.hpp"
#include "common/http/handler.hpp"

namespace streamscope::api {

class answer_cache {
public:
    // `max_bytes`: answers, their gzipped copies and keys together, with an estimate of the
    // bookkeeping per entry.
    answer_cache(db::pool& db, std::size_t max_bytes);

    // Wraps a handler whose answers depend only on the target and the stored sweeps.
    http::handler cached(http::handler inner);

    std::uint64_t hits() const { return hits_.load(); }
    std::uint64_t misses() const { return misses_.load(); }
    std::uint64_t evictions() const { return evictions_.load(); }
    std::size_t bytes() const;

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

    // Keeps `e` under `key` within the budget, evicting the least recently used; under mutex_.
    void store(const std::string& key, std::shared_ptr<const entry> e);
    void clear(); // under mutex_

    struct slot {
        std::shared_ptr<const entry> answer;
        std::list<std::string>::iterator used; // its place in recency_
        std::size_t bytes = 0;
    };

    db::pool& db_;
    std::size_t max_bytes_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, slot> entries_;
    std::list<std::string> recency_; // keys, most recently used first
    std::size_t bytes_ = 0;
    std::unordered_set<std::string> rendering_; // keys whose answer a request is rendering
    std::int64_t version_ = -1;
    std::chrono::steady_clock::time_point checked_{};
    bool refreshing_ = false; // a request is reading the newest sweep id
    std::atomic<std::uint64_t> hits_{0};
    std::atomic<std::uint64_t> misses_{0};
    std::atomic<std::uint64_t> evictions_{0};
};

// The cache key of a request: its path and its parameters, decoded, in name order (parameters
// of one name keep their order). nullopt for a query that cannot be decoded: such a request
// is answered, never cached.
std::optional<std::string> cache_key(std::string_view path, const std::string& query);

} // namespace streamscope::api

#pragma once
// The API keys a server accepts, held in memory so that checking a request's key costs no
// database round trip: reloaded from api_keys every couple of seconds, so that a key created
// or revoked on any replica (or by `streamscope-api keys`) takes effect within seconds on all.
// Use (requests, bytes exported, last use) is counted here and added to the table in batches.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "api/auth/api_key.hpp"
#include "common/db/pool.hpp"

namespace streamscope::api {

struct key_info {
    std::int64_t id = 0;
    std::string prefix;
    scope allowed = scope::read;
    std::optional<std::chrono::system_clock::time_point> expires_at;
    unsigned requests_per_minute = 0; // 0: the server's default (API_KEY_RATE)
};

class key_store {
public:
    explicit key_store(db::pool& db);

    // Reads the keys that are neither revoked nor expired; false (logged) when the database
    // does not answer, keeping the keys it had.
    boost::asio::awaitable<bool> reload();
    // Whether a reload has succeeded yet: before, no key can be checked.
    bool loaded() const { return loaded_; }

    // The key whose text is `key`, when it is valid now. Each thread remembers the last key it
    // found until the next reload: clients send one key request after request, and hashing it
    // would be most of the check's cost.
    std::shared_ptr<const key_info> find(std::string_view key) const;

    // Counts a request by key `id`.
    void count_request(std::int64_t id);
    // Counts bytes that key `id` exported (the chunks of a streamed export).
    void count_exported(std::int64_t id, std::uint64_t bytes);
    // Adds the counts so far to api_keys; they are kept for the next try when it fails.
    boost::asio::awaitable<void> record_use();

    // Reloads every `reload_every` and records use every `record_every`, on a strand of
    // `executor`, until stop().
    void start(boost::asio::io_context::executor_type executor,
               std::chrono::milliseconds reload_every, std::chrono::milliseconds record_every);
    // Thread-safe: the loop records the use counted so far and ends.
    void stop();

private:
    boost::asio::awaitable<void> maintain(std::chrono::milliseconds reload_every,
                                          std::chrono::milliseconds record_every);

    struct use {
        std::uint64_t requests = 0;
        std::uint64_t bytes_exported = 0;
        std::chrono::system_clock::time_point last{};
    };

    using keys_by_hash = std::unordered_map<std::string, std::shared_ptr<const key_info>>;

    db::pool& db_;
    std::atomic<bool> loaded_{false};
    std::atomic<std::uint64_t> generation_{0}; // reloads so far: what find()'s memory is of
    mutable std::mutex mutex_;
    // By key hash; replaced whole by reload().
    std::shared_ptr<const keys_by_hash> keys_;
    std::map<std::int64_t, use> uses_; // at most one entry per key; guarded by mutex_
    bool warned_record_ = false; // the last record_use() failed and said so; on the loop's strand
    // The last reload() failed and said so (reload() also runs in /admin/keys handlers).
    std::atomic<bool> warned_reload_{false};
    std::atomic<bool> stopping_{false};
    std::optional<boost::asio::strand<boost::asio::io_context::executor_type>> strand_;
    std::optional<boost::asio::steady_timer> timer_; // on strand_
};

} // namespace streamscope::api

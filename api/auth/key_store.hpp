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
    unsigned requests_per_minute = 0;     // 0: the server's default (API_KEY_RATE)
    std::int64_t export_rows_per_day = 0; // 0: the server's default (API_EXPORT_ROWS_PER_DAY)
    // The rows it exported on `export_day` (days since 1970-01-01, UTC) as of the reload.
    std::int64_t export_day = -1;
    std::int64_t export_day_rows = 0;
};

// Today's number in key_info::export_day's terms.
std::int64_t utc_day(std::chrono::system_clock::time_point t);

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

    // The valid key with this id, or null (a linear search: for an export's start, not every
    // request).
    std::shared_ptr<const key_info> by_id(std::int64_t id) const;

    // Counts a request by key `id`.
    void count_request(std::int64_t id);
    // Counts bytes that key `id` exported (the chunks of a streamed export).
    void count_exported(std::int64_t id, std::uint64_t bytes);
    // Counts rows that key `id` exported, against its daily quota.
    void count_exported_rows(std::int64_t id, std::int64_t rows);
    // The rows key `id` exported today (UTC) on every server, as far as this one knows: the
    // day's rows at the last reload plus what this server counted since. Other servers' exports
    // since their last record (every 10 s) are not in it.
    std::int64_t rows_exported_today(std::int64_t id) const;
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

    // Rows of one day.
    struct day_rows {
        std::int64_t day = -1;
        std::int64_t rows = 0;
        void add(std::int64_t on_day, std::int64_t more);
        std::int64_t on(std::int64_t wanted) const { return day == wanted ? rows : 0; }
    };

    struct use {
        std::uint64_t requests = 0;
        std::uint64_t bytes_exported = 0;
        std::int64_t rows_exported = 0;
        day_rows today; // of those, the rows of the latest day they were counted on
        std::chrono::system_clock::time_point last{};
        void merge(const use& other);
    };

    using keys_by_hash = std::unordered_map<std::string, std::shared_ptr<const key_info>>;

    db::pool& db_;
    std::atomic<bool> loaded_{false};
    std::atomic<std::uint64_t> generation_{0}; // reloads so far: what find()'s memory is of
    mutable std::mutex mutex_;
    // By key hash; replaced whole by reload().
    std::shared_ptr<const keys_by_hash> keys_;
    std::map<std::int64_t, use> uses_; // at most one entry per key; guarded by mutex_
    // Rows recorded in the table since the keys were last read from it (so not yet in their
    // key_info::export_day_rows); guarded by mutex_.
    std::map<std::int64_t, day_rows> recorded_since_reload_;
    bool warned_record_ = false; // the last record_use() failed and said so; on the loop's strand
    // The last reload() failed and said so (reload() also runs in /admin/keys handlers).
    std::atomic<bool> warned_reload_{false};
    std::atomic<bool> stopping_{false};
    std::optional<boost::asio::strand<boost::asio::io_context::executor_type>> strand_;
    std::optional<boost::asio::steady_timer> timer_; // on strand_
};

} // namespace streamscope::api

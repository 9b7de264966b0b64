#include "api/auth/key_store.hpp"

#include <string>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <openssl/crypto.h>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "api/auth/key_admin.hpp"
#include "common/http/listen.hpp"

namespace streamscope::api {
namespace {

const char* const valid_keys_sql = R"(
SELECT id, prefix, key_hash, scope,
       (extract(epoch FROM expires_at) * 1000000)::bigint AS expires_us,
       COALESCE(requests_per_minute, 0), COALESCE(export_rows_per_day, 0),
       COALESCE(export_day - date '1970-01-01', -1), export_day_rows
  FROM api_keys
 WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()))";

// $1 ids, $2 requests, $3 bytes exported, $4 last use (µs since the epoch), $5 rows exported,
// $6 the day of $7 (days since 1970-01-01, UTC; -1: none) and $7 the rows of that day, as arrays.
// Rows of a day older than the one recorded (another server's, late) count in the total only.
const char* const record_use_sql = R"(
UPDATE api_keys k
   SET requests = k.requests + u.requests,
       bytes_exported = k.bytes_exported + u.bytes,
       last_used_at = greatest(k.last_used_at, to_timestamp(u.last_us / 1e6)),
       rows_exported = k.rows_exported + u.rows,
       export_day_rows = CASE WHEN u.day_rows = 0 OR k.export_day > u.day THEN k.export_day_rows
                              WHEN k.export_day = u.day THEN k.export_day_rows + u.day_rows
                              ELSE u.day_rows END,
       export_day = CASE WHEN u.day_rows = 0 THEN k.export_day
                         ELSE greatest(k.export_day, u.day) END
  FROM (SELECT id, requests, bytes, last_us, rows, date '1970-01-01' + day AS day, day_rows
          FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[],
                      $6::int[], $7::bigint[])
               AS t(id, requests, bytes, last_us, rows, day, day_rows)) u
 WHERE k.id = u.id)";

template <typename T>
std::string array_text(const std::vector<T>& values) {
    std::string out = "{";
    for (const T& v : values) {
        if (out.size() > 1) {
            out += ',';
        }
        out += std::to_string(v);
    }
    out += '}';
    return out;
}

} // namespace

std::int64_t utc_day(std::chrono::system_clock::time_point t) {
    return std::chrono::floor<std::chrono::days>(t.time_since_epoch()).count();
}

void key_store::day_rows::add(std::int64_t on_day, std::int64_t more) {
    if (on_day > day) {
        day = on_day;
        rows = 0;
    }
    if (on_day == day) {
        rows += more;
    }
}

void key_store::use::merge(const use& other) {
    requests += other.requests;
    bytes_exported += other.bytes_exported;
    rows_exported += other.rows_exported;
    today.add(other.today.day, other.today.rows);
    last = std::max(last, other.last);
}

key_store::key_store(db::pool& db) : db_(db), keys_(std::make_shared<const keys_by_hash>()) {}

boost::asio::awaitable<bool> key_store::reload() {
    // What was recorded before this read is in it; what is recorded during it may be counted
    // twice until the next reload, which errs on the safe side of a quota.
    std::map<std::int64_t, day_rows> recorded_before;
    {
        const std::lock_guard lock{mutex_};
        recorded_before = recorded_since_reload_;
    }
    std::shared_ptr<const keys_by_hash> fresh;
    try {
        fresh = co_await db_.run([](pqxx::connection& c) {
            pqxx::read_transaction tx{c};
            auto out = std::make_shared<keys_by_hash>();
            for (const auto& row : tx.exec(valid_keys_sql)) {
                auto info = std::make_shared<key_info>();
                info->id = row[0].as<std::int64_t>();
                info->prefix = row[1].as<std::string>();
                const pqxx::binarystring hash(row[2]);
                info->allowed = parse_scope(row[3].as<std::string>()).value_or(scope::read);
                if (!row[4].is_null()) {
                    info->expires_at = std::chrono::system_clock::time_point(
                        std::chrono::microseconds(row[4].as<std::int64_t>()));
                }
                info->requests_per_minute = row[5].as<unsigned>();
                info->export_rows_per_day = row[6].as<std::int64_t>();
                info->export_day = row[7].as<std::int64_t>();
                info->export_day_rows = row[8].as<std::int64_t>();
                out->emplace(hash.str(), std::move(info));
            }
            return std::shared_ptr<const keys_by_hash>(std::move(out));
        });
    } catch (const std::exception& e) {
        if (!warned_reload_.exchange(true)) { // once per outage, not every reload
            spdlog::warn("API keys: cannot read them ({}); the keys loaded before stay in use; "
                         "check that PostgreSQL is up",
                         e.what());
        }
        co_return false;
    }
    if (warned_reload_.exchange(false)) {
        spdlog::info("API keys: read again");
    }
    const std::size_t count = fresh->size();
    {
        const std::lock_guard lock{mutex_};
        keys_ = std::move(fresh);
        for (const auto& [id, before] : recorded_before) {
            const auto it = recorded_since_reload_.find(id);
            if (it != recorded_since_reload_.end() && it->second.day == before.day) {
                it->second.rows -= before.rows;
            }
        }
        std::erase_if(recorded_since_reload_,
                      [](const auto& kept) { return kept.second.rows <= 0; });
    }
    generation_.fetch_add(1, std::memory_order_release);
    if (!loaded_.exchange(true)) {
        spdlog::info("API keys: {} valid keys loaded", count);
    }
    co_return true;
}

std::shared_ptr<const key_info> key_store::find(std::string_view key) const {
    struct found {
        const key_store* store = nullptr;
        std::uint64_t generation = 0;
        std::string key;
        std::shared_ptr<const key_info> info;
    };
    thread_local found last;
    const std::uint64_t generation = generation_.load(std::memory_order_acquire);
    std::shared_ptr<const key_info> info;
    // Compared in constant time: the remembered key is another client's, perhaps.
    if (last.store == this && last.generation == generation && last.key.size() == key.size() &&
        CRYPTO_memcmp(last.key.data(), key.data(), key.size()) == 0) {
        info = last.info;
    } else {
        std::shared_ptr<const keys_by_hash> keys;
        {
            const std::lock_guard lock{mutex_};
            keys = keys_;
        }
        const auto it = keys->find(key_hash(key));
        if (it == keys->end()) {
            return nullptr;
        }
        info = it->second;
        last = {this, generation, std::string(key), info};
    }
    if (info->expires_at && *info->expires_at <= std::chrono::system_clock::now()) {
        return nullptr; // expired since the last reload
    }
    return info;
}

std::shared_ptr<const key_info> key_store::by_id(std::int64_t id) const {
    std::shared_ptr<const keys_by_hash> keys;
    {
        const std::lock_guard lock{mutex_};
        keys = keys_;
    }
    for (const auto& [hash, info] : *keys) {
        if (info->id == id) {
            return info;
        }
    }
    return nullptr;
}

void key_store::count_request(std::int64_t id) {
    const std::lock_guard lock{mutex_};
    use& u = uses_[id];
    ++u.requests;
    u.last = std::chrono::system_clock::now();
}

void key_store::count_exported(std::int64_t id, std::uint64_t bytes) {
    const std::lock_guard lock{mutex_};
    use& u = uses_[id];
    u.bytes_exported += bytes;
    u.last = std::chrono::system_clock::now();
}

void key_store::count_exported_rows(std::int64_t id, std::int64_t rows) {
    const auto now = std::chrono::system_clock::now();
    const std::lock_guard lock{mutex_};
    use& u = uses_[id];
    u.rows_exported += rows;
    u.today.add(utc_day(now), rows);
    u.last = now;
}

std::int64_t key_store::rows_exported_today(std::int64_t id) const {
    const std::int64_t today = utc_day(std::chrono::system_clock::now());
    const std::shared_ptr<const key_info> info = by_id(id);
    std::int64_t rows = info && info->export_day == today ? info->export_day_rows : 0;
    const std::lock_guard lock{mutex_};
    if (const auto it = uses_.find(id); it != uses_.end()) {
        rows += it->second.today.on(today);
    }
    if (const auto it = recorded_since_reload_.find(id); it != recorded_since_reload_.end()) {
        rows += it->second.on(today);
    }
    return rows;
}

boost::asio::awaitable<void> key_store::record_use() {
    std::map<std::int64_t, use> taken;
    {
        const std::lock_guard lock{mutex_};
        taken.swap(uses_);
    }
    if (taken.empty()) {
        co_return;
    }
    std::vector<std::int64_t> ids, requests, bytes, last_us, rows, days, rows_of_day;
    for (const auto& [id, u] : taken) {
        ids.push_back(id);
        requests.push_back(static_cast<std::int64_t>(u.requests));
        bytes.push_back(static_cast<std::int64_t>(u.bytes_exported));
        last_us.push_back(
            std::chrono::duration_cast<std::chrono::microseconds>(u.last.time_since_epoch())
                .count());
        rows.push_back(u.rows_exported);
        days.push_back(u.today.day);
        rows_of_day.push_back(u.today.rows);
    }
    try {
        co_await db_.run([&](pqxx::connection& c) {
            pqxx::work tx{c};
            allow_writes(tx);
            tx.exec_params(record_use_sql, array_text(ids), array_text(requests), array_text(bytes),
                           array_text(last_us), array_text(rows), array_text(days),
                           array_text(rows_of_day));
            tx.commit();
        });
        warned_record_ = false;
        const std::lock_guard lock{mutex_};
        for (const auto& [id, u] : taken) {
            if (u.today.rows > 0) {
                recorded_since_reload_[id].add(u.today.day, u.today.rows);
            }
        }
    } catch (const std::exception& e) {
        if (!warned_record_) {
            spdlog::warn("API keys: cannot record their use ({}); kept for the next try. The "
                         "API's database role needs UPDATE on api_keys for this",
                         e.what());
            warned_record_ = true;
        }
        const std::lock_guard lock{mutex_};
        for (const auto& [id, u] : taken) { // merged back: at most one entry per key
            uses_[id].merge(u);
        }
    }
}

void key_store::start(boost::asio::io_context::executor_type executor,
                      std::chrono::milliseconds reload_every,
                      std::chrono::milliseconds record_every) {
    strand_.emplace(boost::asio::make_strand(executor));
    timer_.emplace(*strand_);
    boost::asio::co_spawn(*strand_, maintain(reload_every, record_every),
                          http::log_failure("API keys", "reload loop"));
}

void key_store::stop() {
    stopping_ = true;
    if (strand_) {
        boost::asio::post(*strand_, [this] { timer_->cancel(); });
    }
}

boost::asio::awaitable<void> key_store::maintain(std::chrono::milliseconds reload_every,
                                                 std::chrono::milliseconds record_every) {
    auto next_record = std::chrono::steady_clock::now() + record_every;
    while (!stopping_) {
        co_await reload();
        if (std::chrono::steady_clock::now() >= next_record) {
            co_await record_use();
            next_record = std::chrono::steady_clock::now() + record_every;
        }
        if (stopping_) {
            break;
        }
        timer_->expires_after(reload_every);
        co_await timer_->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    co_await record_use(); // what the last requests used
}

} // namespace streamscope::api

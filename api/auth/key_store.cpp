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
       COALESCE(requests_per_minute, 0)
  FROM api_keys
 WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()))";

// $1 ids, $2 requests, $3 bytes exported, $4 last use (µs since the epoch), as arrays.
const char* const record_use_sql = R"(
UPDATE api_keys k
   SET requests = k.requests + u.requests,
       bytes_exported = k.bytes_exported + u.bytes,
       last_used_at = greatest(k.last_used_at, to_timestamp(u.last_us / 1e6))
  FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[])
       AS u(id, requests, bytes, last_us)
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

key_store::key_store(db::pool& db) : db_(db), keys_(std::make_shared<const keys_by_hash>()) {}

boost::asio::awaitable<bool> key_store::reload() {
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

boost::asio::awaitable<void> key_store::record_use() {
    std::map<std::int64_t, use> taken;
    {
        const std::lock_guard lock{mutex_};
        taken.swap(uses_);
    }
    if (taken.empty()) {
        co_return;
    }
    std::vector<std::int64_t> ids, requests, bytes, last_us;
    for (const auto& [id, u] : taken) {
        ids.push_back(id);
        requests.push_back(static_cast<std::int64_t>(u.requests));
        bytes.push_back(static_cast<std::int64_t>(u.bytes_exported));
        last_us.push_back(
            std::chrono::duration_cast<std::chrono::microseconds>(u.last.time_since_epoch())
                .count());
    }
    try {
        co_await db_.run([&](pqxx::connection& c) {
            pqxx::work tx{c};
            allow_writes(tx);
            tx.exec_params(record_use_sql, array_text(ids), array_text(requests), array_text(bytes),
                           array_text(last_us));
            tx.commit();
        });
        warned_record_ = false;
    } catch (const std::exception& e) {
        if (!warned_record_) {
            spdlog::warn("API keys: cannot record their use ({}); kept for the next try. The "
                         "API's database role needs UPDATE on api_keys for this",
                         e.what());
            warned_record_ = true;
        }
        const std::lock_guard lock{mutex_};
        for (const auto& [id, u] : taken) { // merged back: at most one entry per key
            use& kept = uses_[id];
            kept.requests += u.requests;
            kept.bytes_exported += u.bytes_exported;
            kept.last = std::max(kept.last, u.last);
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

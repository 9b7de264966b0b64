#include "api/cache/answer_cache.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>
#include <pqxx/pqxx>

#include "common/http/gzip.hpp"
#include "common/time/sleep.hpp"

namespace streamscope::api {
namespace {

using boost::beast::http::field;
using boost::beast::http::status;

constexpr auto recheck_every = std::chrono::seconds(1);
constexpr auto poll_every = std::chrono::milliseconds(2);
constexpr auto max_wait = std::chrono::milliseconds(5000);

// FNV-1a: a cheap fingerprint of the body for the ETag (not a security measure).
std::string fingerprint(std::string_view body, std::int64_t version) {
    std::uint64_t h = 1469598103934665603ull ^ static_cast<std::uint64_t>(version);
    for (unsigned char c : body) {
        h = (h ^ c) * 1099511628211ull;
    }
    char out[24];
    std::snprintf(out, sizeof out, "\"%016llx\"", static_cast<unsigned long long>(h));
    return out;
}

bool matches(const http::request& req, const std::string& etag) {
    const auto it = req.find(field::if_none_match);
    if (it == req.end()) {
        return false;
    }
    const std::string_view value = it->value();
    return value == "*" || value.find(etag) != std::string_view::npos;
}

http::response from_entry(const http::request& req, const answer_cache::entry& e) {
    // The gzipped body is another representation: it has its own ETag.
    const bool gzipped = !e.gzipped.empty() && http::accepts_gzip(req[field::accept_encoding]);
    const std::string& etag = gzipped ? e.gzipped_etag : e.etag;
    http::response res{status::not_modified, req.version()};
    res.keep_alive(req.keep_alive());
    res.set(field::etag, etag);
    if (!e.gzipped.empty()) {
        res.set(field::vary, "Accept-Encoding");
    }
    if (matches(req, etag)) {
        return res;
    }
    res.result(static_cast<status>(e.status));
    res.set(field::content_type, e.content_type);
    if (!e.content_disposition.empty()) {
        res.set(field::content_disposition, e.content_disposition);
    }
    if (gzipped) {
        res.set(field::content_encoding, "gzip");
    }
    res.body() = gzipped ? e.gzipped : e.body;
    res.prepare_payload();
    return res;
}

template <typename F>
struct scope_exit {
    F on_exit;
    ~scope_exit() { on_exit(); }
};
// Clang 14 (the sanitizer build) does not deduce an aggregate's template arguments by itself.
template <typename F>
scope_exit(F) -> scope_exit<F>;

} // namespace

std::optional<std::string> cache_key(std::string_view path, const std::string& query) {
    // `query` is a std::string: parse_query reads to the NUL after its view (boostorg/url#757).
    const auto parsed = boost::urls::parse_query(query);
    if (!parsed) {
        return std::nullopt;
    }
    std::vector<std::pair<std::string, std::string>> params;
    for (const auto& p : boost::urls::params_view(*parsed)) {
        params.emplace_back(p.key, p.value);
    }
    std::stable_sort(params.begin(), params.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    // Each part prefixed with its length: no text can pass for another split.
    std::string key;
    const auto append = [&key](std::string_view part) {
        key += std::to_string(part.size());
        key += ':';
        key += part;
    };
    append(path);
    for (const auto& [name, value] : params) {
        append(name);
        append(value);
    }
    return key;
}

answer_cache::answer_cache(db::pool& db, std::size_t max_bytes) : db_(db), max_bytes_(max_bytes) {}

std::size_t answer_cache::bytes() const {
    std::lock_guard lock{mutex_};
    return bytes_;
}

void answer_cache::clear() {
    entries_.clear();
    recency_.clear();
    bytes_ = 0;
}

void answer_cache::store(const std::string& key, std::shared_ptr<const entry> e) {
    // The key twice (map and recency list), the texts as allocated, and an estimate of the
    // nodes, the shared pointer's block and the allocator's rounding.
    constexpr std::size_t bookkeeping = 256;
    const std::size_t bytes = 2 * key.capacity() + e->body.capacity() + e->gzipped.capacity() +
                              e->content_type.capacity() + e->content_disposition.capacity() +
                              e->etag.capacity() + e->gzipped_etag.capacity() + bookkeeping;
    // An answer that would take more than a quarter of the budget would push out most others.
    if (bytes > max_bytes_ / 4) {
        return;
    }
    if (auto it = entries_.find(key); it != entries_.end()) {
        bytes_ -= it->second.bytes;
        recency_.erase(it->second.used);
        entries_.erase(it);
    }
    while (bytes_ + bytes > max_bytes_ && !recency_.empty()) {
        const auto oldest = entries_.find(recency_.back());
        bytes_ -= oldest->second.bytes;
        entries_.erase(oldest);
        recency_.pop_back();
        ++evictions_;
    }
    recency_.push_front(key);
    entries_.emplace(key, slot{std::move(e), recency_.begin(), bytes});
    bytes_ += bytes;
}

boost::asio::awaitable<std::int64_t> answer_cache::version() {
    // One request looks for a new sweep; the others go on with the version they have (at most
    // a second old) instead of queueing for the database all at once. Before the first look
    // there is no version to go on with: they wait for it.
    for (auto waited = std::chrono::milliseconds(0);; waited += poll_every) {
        {
            std::lock_guard lock{mutex_};
            if (std::chrono::steady_clock::now() - checked_ < recheck_every) {
                co_return version_;
            }
            if (!refreshing_) {
                refreshing_ = true;
                break;
            }
            if (version_ >= 0 || waited >= max_wait) {
                co_return version_;
            }
        }
        co_await time::sleep_for(poll_every);
    }
    std::int64_t newest = 0;
    try {
        newest = co_await db_.run([](pqxx::connection& c) {
            pqxx::read_transaction tx{c};
            return tx.exec("SELECT COALESCE(max(id), 0) FROM sweeps")[0][0].as<std::int64_t>();
        });
    } catch (...) {
        std::lock_guard lock{mutex_};
        refreshing_ = false;
        throw;
    }
    std::lock_guard lock{mutex_};
    refreshing_ = false;
    checked_ = std::chrono::steady_clock::now();
    if (newest != version_) {
        clear(); // a new sweep: every answer may have changed
        version_ = newest;
    }
    co_return version_;
}

std::shared_ptr<const answer_cache::entry> answer_cache::find(const std::string& key,
                                                              std::int64_t current) {
    std::lock_guard lock{mutex_};
    if (auto it = entries_.find(key);
        it != entries_.end() && it->second.answer->version == current) {
        recency_.splice(recency_.begin(), recency_, it->second.used);
        ++hits_;
        return it->second.answer;
    }
    return nullptr;
}

http::handler answer_cache::cached(http::handler inner) {
    return [this, inner = std::move(inner)](
               http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        const std::int64_t current = co_await version();
        const auto normalised = cache_key(ctx.path, ctx.query);
        if (!normalised) {
            co_return co_await inner(ctx); // it refuses the query: nothing worth keeping
        }
        const std::string& key = *normalised;
        if (const auto hit = find(key, current)) {
            co_return from_entry(ctx.req, *hit);
        }
        // Single flight: right after a sweep, many clients ask for the same answer at
        // once. One renders it; the others wait for it (polling briefly: a render takes
        // tens of milliseconds) instead of queueing identical queries for the database.
        bool renders = false;
        {
            std::lock_guard lock{mutex_};
            renders = rendering_.insert(key).second;
        }
        if (!renders) {
            for (auto waited = std::chrono::milliseconds(0); waited < max_wait;
                 waited += poll_every) {
                co_await time::sleep_for(poll_every);
                if (const auto hit = find(key, current)) {
                    co_return from_entry(ctx.req, *hit);
                }
                std::lock_guard lock{mutex_};
                if (!rendering_.contains(key)) {
                    break; // the render did not produce an answer to share: render here
                }
            }
        }
        ++misses_;
        // However the render ends, the waiters must learn that it did.
        const auto release = [this, &key, renders] {
            if (renders) {
                std::lock_guard lock{mutex_};
                rendering_.erase(key);
            }
        };
        const scope_exit released{release};
        http::response res = co_await inner(ctx);
        if (res.result() != status::ok) {
            co_return res;
        }
        auto e = std::make_shared<entry>();
        e->version = current;
        e->status = res.result_int();
        e->content_type = std::string(res[field::content_type]);
        e->content_disposition = std::string(res[field::content_disposition]);
        e->body = std::move(res.body());
        // A body written piece by piece has up to twice its size allocated; kept for a whole
        // sweep, the spare half would be memory the budget does not see.
        e->body.shrink_to_fit();
        e->etag = fingerprint(e->body, current);
        if (e->body.size() >= http::gzip_min_bytes) {
            e->gzipped = http::gzip(e->body);
            e->gzipped.shrink_to_fit();
            e->gzipped_etag = e->etag.substr(0, e->etag.size() - 1) + "-gzip\"";
        }
        {
            std::lock_guard lock{mutex_};
            if (version_ == current) {
                store(key, e);
            }
        }
        co_return from_entry(ctx.req, *e);
    };
}

} // namespace streamscope::api

#include "api/cache/answer_cache.hpp"

#include <cstdio>

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

} // namespace

answer_cache::answer_cache(db::pool& db, std::size_t max_entries)
    : db_(db), max_entries_(max_entries) {}

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
        entries_.clear(); // a new sweep: every answer may have changed
        version_ = newest;
    }
    co_return version_;
}

std::shared_ptr<const answer_cache::entry> answer_cache::find(const std::string& key,
                                                              std::int64_t current) {
    std::lock_guard lock{mutex_};
    if (auto it = entries_.find(key); it != entries_.end() && it->second->version == current) {
        ++hits_;
        return it->second;
    }
    return nullptr;
}

http::handler answer_cache::cached(http::handler inner) {
    return [this, inner = std::move(inner)](
               http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        const std::int64_t current = co_await version();
        const std::string key = ctx.path + "?" + ctx.query;
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
        e->etag = fingerprint(e->body, current);
        if (e->body.size() >= http::gzip_min_bytes) {
            e->gzipped = http::gzip(e->body);
            e->gzipped_etag = e->etag.substr(0, e->etag.size() - 1) + "-gzip\"";
        }
        {
            std::lock_guard lock{mutex_};
            if (entries_.size() >= max_entries_) {
                entries_.clear(); // bounded: start over rather than track ages
            }
            if (version_ == current) {
                entries_.insert_or_assign(key, e);
            }
        }
        co_return from_entry(ctx.req, *e);
    };
}

} // namespace streamscope::api

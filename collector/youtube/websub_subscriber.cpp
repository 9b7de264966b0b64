#include "collector/youtube/websub_subscriber.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <spdlog/spdlog.h>

#include "collector/store/sweep_store.hpp"
#include "collector/youtube/feed.hpp"
#include "collector/youtube/tracking.hpp"
#include "common/http/response.hpp"
#include "common/http/router.hpp"
#include "common/time/sleep.hpp"

namespace streamscope::youtube {
namespace {

namespace bhttp = boost::beast::http;
using steady_clock = std::chrono::steady_clock;

// How often the watchlist is read again for channels added or removed.
constexpr auto watchlist_refresh = std::chrono::minutes(1);
constexpr auto idle_tick = std::chrono::seconds(1);
// The longest challenge echoed (hubs send a few dozen characters).
constexpr std::size_t max_challenge = 1024;

// name -> value of a query string ('+' is a space, %XX decoded); malformed pairs are skipped.
std::map<std::string, std::string, std::less<>> query_fields(std::string_view query) {
    std::map<std::string, std::string, std::less<>> out;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const auto eq = pair.find('=');
        std::string name(pair.substr(0, eq));
        std::string value(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
        std::replace(name.begin(), name.end(), '+', ' ');
        std::replace(value.begin(), value.end(), '+', ' ');
        auto decoded_name = http::percent_decode(name);
        auto decoded_value = http::percent_decode(value);
        if (decoded_name && decoded_value) {
            out.insert_or_assign(std::move(*decoded_name), std::move(*decoded_value));
        }
    }
    return out;
}

http::response plain(const http::request& req, bhttp::status s, std::string body) {
    http::response res{s, req.version()};
    res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
    res.set(bhttp::field::cache_control, "no-store");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

http::response no_content(const http::request& req) {
    http::response res{bhttp::status::no_content, req.version()};
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

http::request hub_request(const http::origin& hub, std::string form) {
    http::request req{bhttp::verb::post, hub.base_path.empty() ? "/" : hub.base_path, 11};
    req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
    req.body() = std::move(form);
    req.prepare_payload();
    return req;
}

// The pushed videos of channels the table wants, by channel; what else was in the push is
// counted in `ignored`.
std::map<std::string, std::vector<std::string>>
wanted_videos(const feed& pushed, const websub_table& table, std::size_t& ignored) {
    std::map<std::string, std::vector<std::string>> out;
    for (const feed_entry& entry : pushed.entries) {
        if (table.wants(entry.channel_id)) {
            out[entry.channel_id].push_back(entry.video_id);
        } else {
            ++ignored;
        }
    }
    return out;
}

std::vector<std::string> channel_ids(const std::vector<watched_channel>& watchlist) {
    std::vector<std::string> out;
    out.reserve(watchlist.size());
    for (const watched_channel& w : watchlist) {
        out.push_back(w.channel_id);
    }
    return out;
}

std::string status_text(const http::response& res) {
    return "HTTP " + std::to_string(res.result_int());
}

} // namespace

websub_subscriber::websub_subscriber(boost::asio::any_io_executor executor,
                                     boost::asio::ssl::context& tls,
                                     const youtube_settings& settings)
    : settings_(settings), hub_(std::move(executor), tls, settings.websub_hub, settings.timeouts) {}

boost::asio::awaitable<void> websub_subscriber::run(const bool& stopping) {
    if (!enabled()) {
        co_return;
    }
    const auto spacing =
        std::chrono::milliseconds(static_cast<std::int64_t>(1000.0 / requests_per_second));
    auto refreshed_at = steady_clock::time_point{};
    collector::sweep_store* led = nullptr;
    while (!stopping) {
        collector::sweep_store* store = store_;
        if (store != led) {
            // Leading YouTube anew, or no more: subscribe everything again from scratch.
            table_.clear();
            refreshed_at = steady_clock::time_point{};
            led = store;
        }
        if (store == nullptr) {
            co_await time::sleep_for(idle_tick, stopping);
            continue;
        }
        if (steady_clock::now() - refreshed_at >= watchlist_refresh) {
            try {
                const auto watchlist =
                    co_await store->run([](pqxx::connection& c) { return load_watchlist(c); });
                table_.set_watchlist(channel_ids(watchlist), steady_clock::now());
                refreshed_at = steady_clock::now();
            } catch (const std::exception& e) {
                spdlog::warn("YouTube WebSub: the watchlist cannot be read ({}); trying again "
                             "in a minute",
                             e.what());
                refreshed_at = steady_clock::now();
            }
        }
        const auto due = table_.next_due(steady_clock::now());
        if (!due) {
            co_await time::sleep_for(idle_tick, stopping);
            continue;
        }
        co_await send(*due);
        co_await time::sleep_for(spacing, stopping);
    }
}

boost::asio::awaitable<void> websub_subscriber::send(const websub_table::due& d) {
    http::request req = hub_request(
        settings_.websub_hub, websub_form(settings_.websub_callback, d.subscribe, d.channel_id,
                                          requested_lease, settings_.websub_secret));
    std::string problem;
    try {
        const http::response res = co_await hub_.send(std::move(req));
        if (res.result_int() / 100 != 2) {
            problem = status_text(res);
        }
    } catch (const boost::system::system_error& e) {
        problem = e.code().message();
    } catch (const http::untrusted_certificate& e) {
        problem = e.what();
    }
    const bool gave_up = table_.sent(d.channel_id, problem.empty(), steady_clock::now());
    if (gave_up) {
        spdlog::warn("YouTube WebSub: the hub refused to {} {} {} times (last: {}); trying "
                     "again in an hour, its feed is polled meanwhile",
                     d.subscribe ? "subscribe" : "unsubscribe", d.channel_id,
                     websub_table::max_attempts, problem);
    } else if (!problem.empty()) {
        spdlog::debug("YouTube WebSub: {} of {} failed ({}); retrying",
                      d.subscribe ? "subscribe" : "unsubscribe", d.channel_id, problem);
    }
}

http::response websub_subscriber::verify(const http::request_context& ctx) {
    const auto fields = query_fields(ctx.query);
    const auto field = [&fields](std::string_view name) -> std::string {
        const auto it = fields.find(name);
        return it == fields.end() ? std::string() : it->second;
    };
    const std::string mode = field("hub.mode");
    const std::string topic = field("hub.topic");
    const std::string challenge = field("hub.challenge");
    std::int64_t lease = 0;
    const std::string lease_text = field("hub.lease_seconds");
    if (!lease_text.empty() && lease_text.size() < 12 &&
        std::all_of(lease_text.begin(), lease_text.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
        lease = std::stoll(lease_text);
    }
    if (challenge.empty() || challenge.size() > max_challenge ||
        table_.verify(mode, topic, std::chrono::seconds(lease), steady_clock::now()) !=
            websub_table::verdict::confirm) {
        if (const auto unlogged = refusal_to_log()) {
            spdlog::info("YouTube WebSub: the hub's {} verification of {} refused: not a "
                         "subscription this collector asked for ({} more refusals since the "
                         "last such line)",
                         mode.empty() ? std::string("(no mode)") : mode,
                         topic.empty() ? std::string("(no topic)") : topic, *unlogged);
        }
        return plain(ctx.req, bhttp::status::not_found, "unknown subscription\n");
    }
    if (mode == "subscribe") {
        spdlog::debug("YouTube WebSub: subscription to {} verified, lease {} s", topic, lease);
    }
    return plain(ctx.req, bhttp::status::ok, challenge);
}

boost::asio::awaitable<http::response> websub_subscriber::push(http::request_context& ctx) {
    const http::request& req = ctx.req;
    if (!settings_.websub_secret.empty()) {
        const auto it = req.find("X-Hub-Signature");
        const std::string_view signature =
            it == req.end() ? std::string_view() : std::string_view(it->value());
        if (!websub_signature_valid(signature, req.body(), settings_.websub_secret)) {
            ++totals_.refused;
            if (const auto unlogged = refusal_to_log()) {
                spdlog::warn("YouTube WebSub: a push from {} refused: {} (is "
                             "YOUTUBE_WEBSUB_SECRET the one the subscription was made with? {} "
                             "more refusals since the last such line)",
                             ctx.peer.to_string(),
                             signature.empty() ? "it is not signed" : "its signature is wrong",
                             *unlogged);
            }
            co_return plain(req, bhttp::status::forbidden, "bad signature\n");
        }
    }
    ++totals_.pushes;
    feed pushed;
    try {
        pushed = parse_feed(req.body());
    } catch (const feed_error& e) {
        spdlog::warn("YouTube WebSub: a push is not an Atom feed ({}); ignored", e.what());
        co_return no_content(req); // a retry would not make it one
    }
    std::size_t ignored = 0;
    const auto videos = wanted_videos(pushed, table_, ignored);
    collector::sweep_store* store = store_;
    if (store != nullptr && !videos.empty()) {
        try {
            totals_.recorded +=
                static_cast<std::int64_t>(co_await store->run([&videos](pqxx::connection& c) {
                    std::size_t added = 0;
                    for (const auto& [channel, ids] : videos) {
                        added += record_found(c, channel, ids);
                    }
                    return added;
                }));
        } catch (const std::exception& e) {
            spdlog::warn("YouTube WebSub: a push cannot be stored ({}); the feed poller finds "
                         "its videos",
                         e.what());
        }
    }
    co_return no_content(req);
}

std::optional<std::int64_t> websub_subscriber::refusal_to_log() {
    const auto now = steady_clock::now();
    if (refusal_logged_at_ && now - *refusal_logged_at_ < refusal_log_every) {
        ++refusals_unlogged_;
        return std::nullopt;
    }
    refusal_logged_at_ = now;
    return std::exchange(refusals_unlogged_, 0);
}

std::vector<collector::extra_route> websub_subscriber::routes() {
    std::vector<collector::extra_route> out;
    if (!enabled()) {
        return out;
    }
    out.push_back({bhttp::verb::get, settings_.websub_callback_path,
                   [this](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
                       co_return verify(ctx);
                   },
                   8 * 1024});
    out.push_back({bhttp::verb::post, settings_.websub_callback_path,
                   [this](http::request_context& ctx) { return push(ctx); }, max_push_bytes});
    return out;
}

} // namespace streamscope::youtube

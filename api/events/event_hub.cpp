#include "api/events/event_hub.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "common/http/listen.hpp"
#include "common/model/event.hpp"
#include "common/text/ascii_case.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::api {
namespace {

namespace asio = boost::asio;

constexpr std::size_t poll_batch = 5'000;

constexpr const char* newest_event_sql = "SELECT coalesce(max(id), 0) FROM events";

} // namespace

const char* const event_columns_sql = R"(
SELECT e.id, e.type, p.name, e.sweep_id, (extract(epoch FROM e.at) * 1000000)::bigint,
       e.channel, e.game_id, e.game_name, e.viewers, e.data
  FROM events e JOIN platforms p ON p.id = e.platform_id
)";

event_ptr render_event(const pqxx::row& row) {
    auto e = std::make_shared<rendered_event>();
    e->id = row[0].as<std::int64_t>();
    e->type = row[1].as<std::string>();
    e->platform = row[2].as<std::string>();
    e->channel_lower = text::ascii_lower(row[5].as<std::string>());
    e->game_id = row[6].as<std::string>();
    e->game_name_lower = text::ascii_lower(row[7].as<std::string>());
    if (!row[8].is_null()) {
        e->viewers = row[8].as<std::int64_t>();
    }
    const std::string id = std::to_string(e->id);
    const auto at = time::timestamp(std::chrono::microseconds(row[4].as<std::int64_t>()));
    const std::string json = model::event_json(e->id, e->type, at, row[3].c_str(), e->platform,
                                               std::string_view(row[9].c_str(), row[9].size()));
    e->sse = "id: ";
    e->sse += id;
    e->sse += "\nevent: ";
    e->sse += e->type;
    e->sse += "\ndata: ";
    e->json_at = e->sse.size();
    e->json_size = json.size();
    e->sse += json;
    e->sse += "\n\n";
    return e;
}

struct event_hub::waiter {
    explicit waiter(const asio::any_io_executor& executor) : timer(executor) {}
    asio::steady_timer timer;
};

event_hub::event_hub(db::pool& db, event_hub_settings settings) : db_(db), settings_(settings) {}

void event_hub::start(asio::io_context::executor_type executor) {
    strand_.emplace(asio::make_strand(executor));
    timer_.emplace(*strand_);
    asio::co_spawn(*strand_, poll_loop(), http::log_failure("live feed", "event poller"));
}

void event_hub::stop() {
    std::vector<std::weak_ptr<waiter>> woken;
    {
        const std::lock_guard lock{mutex_};
        stopped_ = true;
        woken.swap(waiters_);
    }
    for (const auto& weak : woken) {
        if (const auto w = weak.lock()) {
            asio::post(w->timer.get_executor(), [w] { w->timer.cancel(); });
        }
    }
    if (strand_) {
        asio::post(*strand_, [this] { timer_->cancel(); });
    }
}

bool event_hub::stopped() const {
    const std::lock_guard lock{mutex_};
    return stopped_;
}

asio::awaitable<void> event_hub::poll_loop() {
    bool warned = false;
    for (;;) {
        std::int64_t from = 0;
        bool first = false;
        {
            const std::lock_guard lock{mutex_};
            if (stopped_) {
                break;
            }
            from = newest_;
            first = !ready_;
        }
        try {
            std::vector<event_ptr> fresh;
            if (first) {
                // Feeds start after what is stored already; resuming reads the database.
                const std::int64_t newest = co_await db_.run([](pqxx::connection& c) {
                    pqxx::read_transaction tx(c);
                    return tx.exec(newest_event_sql)[0][0].as<std::int64_t>();
                });
                const std::lock_guard lock{mutex_};
                newest_ = newest;
                dropped_through_ = newest;
                ready_ = true;
            } else {
                fresh = co_await db_.run([from](pqxx::connection& c) {
                    pqxx::read_transaction tx(c);
                    std::vector<event_ptr> out;
                    for (const auto& row :
                         tx.exec_params(std::string(event_columns_sql) +
                                            " WHERE e.id > $1 ORDER BY e.id LIMIT $2",
                                        from, static_cast<std::int64_t>(poll_batch))) {
                        out.push_back(render_event(row));
                    }
                    return out;
                });
            }
            if (warned) {
                spdlog::info("live feed: reading events again");
                warned = false;
            }
            const bool full_batch = fresh.size() == poll_batch;
            publish(std::move(fresh));
            if (full_batch) {
                continue; // more are waiting: no pause
            }
        } catch (const std::exception& e) {
            if (!warned) {
                spdlog::warn("live feed: cannot read new events ({}); feeds wait and it is "
                             "tried again every {} ms",
                             e.what(), settings_.poll_every.count());
                warned = true;
            }
        }
        timer_->expires_after(settings_.poll_every);
        co_await timer_->async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

void event_hub::publish(std::vector<event_ptr> fresh) {
    if (fresh.empty()) {
        return;
    }
    std::vector<std::weak_ptr<waiter>> woken;
    {
        const std::lock_guard lock{mutex_};
        for (event_ptr& e : fresh) {
            ring_bytes_ += e->sse.size() + sizeof(rendered_event);
            newest_ = e->id;
            ring_.push_back(std::move(e));
        }
        while (!ring_.empty() &&
               (ring_.size() > settings_.max_events || ring_bytes_ > settings_.max_bytes)) {
            ring_bytes_ -= ring_.front()->sse.size() + sizeof(rendered_event);
            dropped_through_ = ring_.front()->id;
            ring_.pop_front();
        }
        woken.swap(waiters_);
    }
    for (const auto& weak : woken) {
        if (const auto w = weak.lock()) {
            asio::post(w->timer.get_executor(), [w] { w->timer.cancel(); });
        }
    }
}

event_hub::slice event_hub::after(std::int64_t after, std::size_t max) const {
    slice out;
    const std::lock_guard lock{mutex_};
    if (after < dropped_through_) {
        out.behind = true;
        return out;
    }
    // The ring is in id order: the first event after `after` by binary search.
    const auto first =
        std::upper_bound(ring_.begin(), ring_.end(), after,
                         [](std::int64_t id, const event_ptr& e) { return id < e->id; });
    for (auto it = first; it != ring_.end() && out.events.size() < max; ++it) {
        out.events.push_back(*it);
    }
    return out;
}

std::int64_t event_hub::newest() const {
    const std::lock_guard lock{mutex_};
    return newest_;
}

bool event_hub::ready() const {
    const std::lock_guard lock{mutex_};
    return ready_;
}

asio::awaitable<void> event_hub::wait_after(std::int64_t after,
                                            std::chrono::steady_clock::duration timeout) {
    const auto executor = co_await asio::this_coro::executor;
    const auto w = std::make_shared<waiter>(executor);
    {
        const std::lock_guard lock{mutex_};
        if (stopped_ || newest_ > after) {
            co_return;
        }
        // Waiters that timed out go when the list has doubled since the last sweep of it: the
        // list stays about as long as the feeds, at a constant cost per wait.
        if (waiters_.size() >= prune_at_) {
            std::erase_if(waiters_, [](const std::weak_ptr<waiter>& x) { return x.expired(); });
            prune_at_ = std::max<std::size_t>(64, 2 * waiters_.size());
        }
        waiters_.push_back(w);
    }
    w->timer.expires_after(timeout);
    co_await w->timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

std::size_t event_hub::waiting() const {
    const std::lock_guard lock{mutex_};
    return waiters_.size();
}

std::size_t event_hub::held_events() const {
    const std::lock_guard lock{mutex_};
    return ring_.size();
}

std::size_t event_hub::held_bytes() const {
    const std::lock_guard lock{mutex_};
    return ring_bytes_;
}

} // namespace streamscope::api

#include "collector/webhooks/delivery.hpp"

#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "collector/webhooks/fan_out.hpp"
#include "collector/webhooks/http_sender.hpp"
#include "collector/webhooks/mail_sender.hpp"
#include "common/http/client.hpp"

namespace streamscope::webhooks {
namespace {

namespace asio = boost::asio;

// Events read per fan-out transaction.
constexpr std::size_t fan_out_batch = 1'000;
// How often a standby asks for the lock, and the counts for /metrics are refreshed.
constexpr std::chrono::seconds standby_every{5};
constexpr std::chrono::seconds count_every{10};

db::pool_options delivery_pool_options() {
    db::pool_options o;
    o.size = 1;
    o.connection.application_name = "streamscope-collector webhooks";
    o.connection.connect_timeout = std::chrono::seconds(5);
    o.connection.statement_timeout = std::chrono::seconds(30);
    return o;
}

double random_draw() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    return std::uniform_real_distribution<double>(0, 1)(random);
}

std::string_view content_type_of(target_format) {
    return "application/json"; // json, Slack and Discord alike
}

std::string seconds_text(std::chrono::milliseconds d) {
    return fmt::format("{:.1f} s", static_cast<double>(d.count()) / 1000.0);
}

void log_step(const due_delivery& d, const attempt_result& r, const next_step& step) {
    switch (step.what) {
    case next_step::kind::delivered:
        spdlog::debug("webhooks: delivered event {} to subscription {} ({} ms)", d.event_id,
                      d.webhook_id, r.duration.count());
        break;
    case next_step::kind::retry:
        spdlog::info("webhooks: delivery {} (event {}) to subscription {} failed, attempt {} "
                     "({}); tried again in {}",
                     d.id, d.event_id, d.webhook_id, d.attempts + 1, r.error,
                     seconds_text(step.wait));
        break;
    case next_step::kind::failed:
        spdlog::warn("webhooks: subscription {} is disabled: {} (delivery {}, event {})",
                     d.webhook_id, step.disable_reason, d.id, d.event_id);
        break;
    }
}

attempt_result no_relay() {
    attempt_result r;
    r.error = "SMTP_URL is not set on the delivering collector: set it (and SMTP_FROM)";
    return r;
}

} // namespace

delivery_worker::delivery_worker(asio::any_io_executor executor, config::database_url url,
                                 delivery_settings settings)
    : executor_(std::move(executor)), settings_(std::move(settings)),
      db_(url, delivery_pool_options()), lock_(url),
      http_tls_(http::make_tls_context(settings_.ca_file)),
      smtp_tls_(http::make_tls_context(settings_.smtp_ca_file)), wake_(executor_) {}

delivery_worker::~delivery_worker() = default;

void delivery_worker::stop() {
    stopping_ = true;
    wake_.cancel();
}

asio::awaitable<void> delivery_worker::pause(std::chrono::milliseconds d) {
    wake_.expires_after(d);
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
}

void delivery_worker::start_due(std::vector<due_delivery> due) {
    for (due_delivery& d : due) {
        ++in_flight_;
        busy_.insert(d.webhook_id);
        asio::co_spawn(executor_, attempt(std::move(d)), asio::detached);
    }
}

asio::awaitable<void> delivery_worker::attempt(due_delivery d) {
    attempt_result result;
    try {
        if (d.format == target_format::email) {
            if (settings_.smtp) {
                const std::string to = mailto_address(d.url).value_or(d.url);
                result =
                    co_await send_email_delivery(to, d.payload, *settings_.smtp,
                                                 settings_.smtp_from, smtp_tls_, settings_.timeout);
            } else {
                result = no_relay();
            }
        } else {
            http_delivery request{d.url, d.secret, d.event_id, d.payload,
                                  std::string(content_type_of(d.format))};
            result = co_await post_webhook(std::move(request), http_tls_, settings_.timeout,
                                           settings_.allow_private);
        }
        const next_step step = decide(result, d.attempts + 1, d.since_first + result.duration,
                                      random_draw(), settings_.retry_scale);
        co_await db_.run(
            [&d, &result, &step](pqxx::connection& c) { record_attempt(c, d, result, step); });
        log_step(d, result, step);
    } catch (const std::exception& e) {
        // The attempt stays pending as it was: it is made again at the next round.
        spdlog::warn("webhooks: the outcome of delivery {} could not be recorded ({}); it is "
                     "sent again (receivers drop duplicates by webhook-id)",
                     d.id, e.what());
    }
    busy_.erase(d.webhook_id);
    --in_flight_;
    if (!stopping_) {
        wake_.cancel(); // a slot is free: look for the subscription's next delivery
    }
}

asio::awaitable<void> delivery_worker::run() {
    while (!stopping_) {
        const bool leading = co_await db_.on_thread([this] { return lock_.hold(); });
        if (!leading) {
            co_await pause(standby_every);
            continue;
        }
        bool more = false;
        try {
            const fan_out_result fanned =
                co_await db_.run([](pqxx::connection& c) { return fan_out(c, fan_out_batch); });
            more = fanned.events == fan_out_batch;
            if (fanned.deliveries > 0) {
                spdlog::debug("webhooks: {} events became {} deliveries", fanned.events,
                              fanned.deliveries);
            }
            if (in_flight_ < settings_.concurrency) {
                const std::size_t room = settings_.concurrency - in_flight_;
                const std::set<std::int64_t> busy = busy_;
                std::vector<due_delivery> due = co_await db_.run(
                    [room, &busy](pqxx::connection& c) { return claim_due(c, room, busy); });
                start_due(std::move(due));
            }
            const auto now = std::chrono::steady_clock::now();
            if (now - counted_ >= count_every) {
                counted_ = now;
                const delivery_counts n =
                    co_await db_.run([](pqxx::connection& c) { return count_deliveries(c); });
                if (report_) {
                    report_(n);
                }
            }
            if (warned_) {
                spdlog::info("webhooks: delivering again");
                warned_ = false;
            }
        } catch (const std::exception& e) {
            if (!warned_) {
                spdlog::warn("webhooks: cannot read or write deliveries ({}); tried again every "
                             "{} ms: check that the database is up and migrated",
                             e.what(), settings_.poll_every.count());
                warned_ = true;
            }
        }
        if (!more && !stopping_) {
            co_await pause(settings_.poll_every);
        }
    }
    // The attempts in flight end within the timeout; their outcome is recorded.
    while (in_flight_ > 0) {
        wake_.expires_after(std::chrono::milliseconds(50));
        co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_await db_.on_thread([this] { lock_.release(); });
}

} // namespace streamscope::webhooks

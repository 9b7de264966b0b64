#pragma once
// Webhook delivery: in exactly one collector per database (delivery_lock.hpp; a standby takes
// over), on connections and database threads of its own so that sweeps never wait for it. A
// loop fans new events out into deliveries (fan_out.hpp) and starts the due ones
// (delivery_store.hpp): each subscription's oldest pending delivery, one at a time per
// subscription so that each receives its events in order, at most `concurrency` at once,
// each attempt bounded by `timeout`. Attempts are recorded, retried per the schedule, and a
// delivery that fails for good disables its subscription (attempt_outcome.hpp).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "collector/webhooks/delivery_lock.hpp"
#include "collector/webhooks/delivery_store.hpp"
#include "collector/webhooks/smtp_relay.hpp"
#include "common/config/database_url.hpp"
#include "common/db/pool.hpp"

namespace streamscope::webhooks {

struct delivery_settings {
    unsigned concurrency = 16;                 // WEBHOOK_CONCURRENCY
    std::chrono::milliseconds timeout{10'000}; // WEBHOOK_TIMEOUT_SECONDS
    bool allow_private = false;                // WEBHOOK_ALLOW_PRIVATE_TARGETS
    double retry_scale = 1.0;                  // WEBHOOK_RETRY_SCALE (tests)
    std::optional<std::string> ca_file;        // WEBHOOK_CA_FILE
    std::optional<smtp_relay> smtp;            // SMTP_URL; none: e-mail attempts fail
    std::optional<std::string> smtp_ca_file;   // SMTP_CA_FILE
    std::string smtp_from;                     // SMTP_FROM
    std::chrono::milliseconds poll_every{
        500}; // how often new events and due retries are looked for
};

class delivery_worker {
public:
    // Throws std::runtime_error when a CA file cannot be read (checked at start).
    delivery_worker(boost::asio::any_io_executor executor, config::database_url url,
                    delivery_settings settings);
    ~delivery_worker();

    // Delivers until stop(), then waits for the attempts in flight (each ends within the
    // timeout). Never throws but for a bug.
    boost::asio::awaitable<void> run();
    // On the executor's thread.
    void stop();

    // Called on the executor with the deliveries in each state, every 10 s while this
    // collector delivers. Set before run().
    void on_counts(std::function<void(const delivery_counts&)> report) {
        report_ = std::move(report);
    }

private:
    boost::asio::awaitable<void> attempt(due_delivery d);
    boost::asio::awaitable<void> pause(std::chrono::milliseconds d);
    void start_due(std::vector<due_delivery> due);

    boost::asio::any_io_executor executor_;
    delivery_settings settings_;
    db::pool db_;
    delivery_lock lock_;
    boost::asio::ssl::context http_tls_;
    boost::asio::ssl::context smtp_tls_;
    boost::asio::steady_timer wake_;
    bool stopping_ = false;
    bool warned_ = false;
    std::size_t in_flight_ = 0;
    std::set<std::int64_t> busy_; // subscriptions with an attempt in flight
    std::chrono::steady_clock::time_point counted_{};
    std::function<void(const delivery_counts&)> report_;
};

} // namespace streamscope::webhooks

#pragma once
// One platform's part of the daemon: its client, its database connection, its leader lock
// and its sweeps, on its own schedule. Each platform runs its own loop, so that a Kick outage
// never delays a Twitch sweep and the reverse; the loops share the io_context thread, the
// spool folder, the rollup folder's database and the status.

#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "collector/daemon/leadership.hpp"
#include "collector/daemon/status.hpp"
#include "collector/platform/platform_client.hpp"
#include "collector/settings/settings.hpp"
#include "collector/spool/spool.hpp"
#include "collector/store/sweep_store.hpp"
#include "collector/sweep/sweeper.hpp"
#include "common/config/service_settings.hpp"

namespace streamscope::collector {

// What the loops share: owned by the daemon, touched on the io_context thread only.
struct daemon_shared {
    const config::service_settings& service;
    const collector_settings& settings;
    collector_status& status;
    spool& spooled;
    const bool& stopping;
    bool migrated = false; // the schema was brought up to date by one of the loops
    // Scans the spool folder into the status (one scan for both figures).
    std::function<void()> note_spool_size;
};

class platform_loop {
public:
    // Builds the platform's client (throws std::runtime_error when a CA file cannot be read).
    platform_loop(model::platform platform, boost::asio::any_io_executor executor,
                  daemon_shared& shared);
    ~platform_loop();
    platform_loop(const platform_loop&) = delete;
    platform_loop& operator=(const platform_loop&) = delete;

    // Sweeps at every interval boundary until the daemon stops. Returns exit_ok then; an exit
    // code when the platform refused this collector (exit_bad_credentials,
    // exit_untrusted_certificate: the platform is marked stopped, the others go on) or the
    // schema is refused (exit_schema_refused: the whole daemon stops).
    boost::asio::awaitable<int> run();

    // Aborts the requests in flight (the sweep ends at its next page); on the io_context.
    void cancel() { client_->cancel(); }

    model::platform platform() const { return platform_; }
    platform_client& client() { return *client_; }

private:
    platform_status& status() { return shared_.status.platforms[platform_]; }
    boost::asio::awaitable<int> sweep_loop();
    boost::asio::awaitable<void> beside_sweeps();
    boost::asio::awaitable<int> refresh_role();
    boost::asio::awaitable<void> drain_spool();
    boost::asio::awaitable<void> sweep();
    void spool_sweep(const model::sweep& sweep);
    void record(const collected_sweep& collected, std::int64_t rows, bool spooled_it);

    model::platform platform_;
    daemon_shared& shared_;
    std::chrono::milliseconds interval_;
    std::unique_ptr<platform_client> client_;
    sweep_store store_;
    leadership lead_;
    sweeper sweeping_;
};

} // namespace streamscope::collector

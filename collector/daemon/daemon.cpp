#include "collector/daemon/daemon.hpp"

#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/ip/address.hpp>
#include <spdlog/spdlog.h>

#include "collector/daemon/health_server.hpp"
#include "collector/daemon/platform_loop.hpp"
#include "collector/webhooks/delivery.hpp"
#include "common/cli/exit_codes.hpp"

namespace streamscope::collector {
namespace {
using clock = std::chrono::system_clock;
} // namespace

// Everything the daemon owns, in the order it must be built and torn down.
struct daemon::parts {
    parts(boost::asio::io_context& io_, const config::service_settings& service_,
          const collector_settings& settings_)
        : io(io_), settings(settings_),
          spooled(settings_.daemon.spool_dir, settings_.daemon.spool_max_bytes), shared{service_,
                                                                                        settings_,
                                                                                        status,
                                                                                        spooled,
                                                                                        stopping,
                                                                                        false,
                                                                                        [this] { note_spool_size(); }},
          loops(make_loops(io_, shared, settings_)),
          deliveries(io_.get_executor(), service_.database, settings_.webhooks),
          health(io_.get_executor(), status,
                 {boost::asio::ip::make_address(settings_.daemon.health_address),
                  settings_.daemon.health_port},
                 extra_routes(loops)) {
        status.started_at = clock::now();
        deliveries.on_counts([this](const webhooks::delivery_counts& n) {
            status.webhooks = webhook_status{n.pending, n.delivered, n.failed};
        });
    }

    std::vector<std::unique_ptr<platform_loop>>
    make_loops(boost::asio::io_context& io_, daemon_shared& shared_, const collector_settings& s) {
        std::vector<std::unique_ptr<platform_loop>> out;
        for (const model::platform platform : s.platforms) {
            status.platforms[platform];
            out.push_back(std::make_unique<platform_loop>(platform, io_.get_executor(), shared_));
        }
        return out;
    }

    // The platforms' own routes on the health port (YouTube's WebSub callback).
    static std::vector<extra_route>
    extra_routes(const std::vector<std::unique_ptr<platform_loop>>& all) {
        std::vector<extra_route> out;
        for (const auto& loop : all) {
            for (extra_route& r : loop->client().routes()) {
                out.push_back(std::move(r));
            }
        }
        return out;
    }

    // One scan of the spool folder for both figures.
    void note_spool_size() {
        const auto entries = spooled.list();
        status.spool_files = entries.size();
        status.spool_bytes = 0;
        for (const auto& e : entries) {
            status.spool_bytes += e.bytes;
        }
    }

    boost::asio::io_context& io;
    const collector_settings& settings;
    bool stopping = false;
    collector_status status;
    spool spooled;
    daemon_shared shared;
    std::vector<std::unique_ptr<platform_loop>> loops; // before health: it serves their routes
    webhooks::delivery_worker deliveries;
    health_server health;
};

daemon::daemon(boost::asio::io_context& io, const config::service_settings& service,
               const collector_settings& settings)
    : parts_(std::make_unique<parts>(io, service, settings)) {}

daemon::~daemon() = default;

const collector_status& daemon::status() const {
    return parts_->status;
}

void daemon::stop() {
    if (!parts_->stopping) {
        spdlog::info("stopping: the current sweeps end at their next page and are kept");
    }
    parts_->stopping = true;
    for (const auto& loop : parts_->loops) {
        loop->cancel();
    }
    parts_->deliveries.stop();
}

boost::asio::awaitable<int> daemon::run() {
    parts& p = *parts_;
    const std::uint16_t port = p.health.listen();
    p.health.start();
    std::string names;
    for (const auto& loop : p.loops) {
        names += (names.empty() ? "" : ", ") + std::string(model::to_string(loop->platform()));
    }
    spdlog::info("collector started: sweeping {}; /health and /metrics on {}:{}; spool in {}",
                 names, p.settings.daemon.health_address, port, p.settings.daemon.spool_dir);
    p.note_spool_size();

    // Every loop runs on its own; each reports its end through the channel.
    using ends = boost::asio::experimental::channel<void(boost::system::error_code, int)>;
    ends ended{p.io, p.loops.size()};
    for (const auto& loop : p.loops) {
        boost::asio::co_spawn(p.io, loop->run(), [&ended](std::exception_ptr e, int code) {
            if (e) {
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& failure) {
                    spdlog::critical("a platform's sweeps failed: {}", failure.what());
                }
                code = cli::exit_failure;
            }
            ended.try_send(boost::system::error_code{}, code);
        });
    }
    // Webhook deliveries run beside the sweeps, in whichever collector holds their lock.
    using done = boost::asio::experimental::channel<void(boost::system::error_code)>;
    done delivered{p.io, 1};
    boost::asio::co_spawn(p.io, p.deliveries.run(), [&delivered](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& failure) {
                spdlog::error("webhook delivery stopped: {}", failure.what());
            }
        }
        delivered.try_send(boost::system::error_code{});
    });
    int exit_code = cli::exit_ok;
    std::size_t running = p.loops.size();
    std::size_t refused = 0;
    while (running > 0) {
        const int code = co_await ended.async_receive(boost::asio::use_awaitable);
        --running;
        if (code == cli::exit_ok) {
            continue;
        }
        if (code == cli::exit_bad_credentials || code == cli::exit_untrusted_certificate) {
            ++refused;
            exit_code = code;
            if (refused < p.loops.size()) {
                continue;
            }
            spdlog::critical("no platform is left to sweep: the collector stops");
        } else {
            exit_code = code;
        }
        // A refused schema, a failure, or no platform left: everything stops.
        stop();
    }
    co_await delivered.async_receive(boost::asio::use_awaitable);
    p.health.stop();
    spdlog::info("collector stopped");
    co_return refused == p.loops.size() || exit_code == cli::exit_schema_refused ||
            exit_code == cli::exit_failure
        ? exit_code
        : cli::exit_ok;
}

} // namespace streamscope::collector

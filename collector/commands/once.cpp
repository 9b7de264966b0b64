#include "collector/commands/once.hpp"

#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <spdlog/spdlog.h>

#include "collector/store/sweep_store.hpp"
#include "collector/sweep/sweeper.hpp"
#include "collector/twitch/client.hpp"
#include "common/cli/exit_codes.hpp"
#include "common/cli/migrate_command.hpp"

namespace streamscope::collector {

int run_once(const config::service_settings& service, const collector_settings& settings) {
    if (const int migrated = cli::run_migrate(service.database, "streamscope-collector");
        migrated != cli::exit_ok) {
        return migrated;
    }
    boost::asio::io_context io;
    twitch::client twitch_client{io.get_executor(), settings.twitch};
    sweep_store store{service.database, settings.retention};
    const bool stopping = false;
    sweeper sweep{twitch_client,
                  &store,
                  {.max_streams = static_cast<std::size_t>(settings.twitch.max_streams),
                   .channel_refresh = settings.twitch.channel_refresh},
                  stopping};

    auto done = boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<std::pair<sweep_report, db::write_result>> {
            collected_sweep collected = co_await sweep.collect();
            db::write_result written = co_await store.write(collected.sweep);
            co_return std::pair{std::move(collected.report), written};
        },
        boost::asio::use_future);
    io.run();
    const auto [report, written] = done.get(); // rethrows what the sweep threw

    spdlog::info("sweep {}: {} streams ({} recovered by look-up), {} broadcasts ended, {} "
                 "pages, {} requests, {} rate limited, {} snapshots written",
                 model::to_string(report.status), report.streams, report.recovered, report.ended,
                 report.pages, report.requests, report.throttled, written.snapshots);
    if (report.status != model::sweep_status::complete) {
        spdlog::error("the sweep is {}: {}", model::to_string(report.status), report.error);
        return cli::exit_failure;
    }
    return cli::exit_ok;
}

} // namespace streamscope::collector

#include "collector/commands/once.hpp"

#include <memory>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <spdlog/spdlog.h>

#include "collector/platforms.hpp"
#include "collector/store/sweep_store.hpp"
#include "collector/sweep/sweeper.hpp"
#include "common/cli/exit_codes.hpp"
#include "common/cli/migrate_command.hpp"
#include "common/http/client.hpp"

namespace streamscope::collector {
namespace {

// One platform's sweep, and what became of it.
struct one_sweep {
    one_sweep(model::platform id, boost::asio::io_context& io,
              const config::service_settings& service, const collector_settings& settings)
        : platform(id), client(find_platform(id)->make_client(io.get_executor(), settings)),
          store(service.database, settings.retention, settings.events),
          sweeping(*client, &store, find_platform(id)->options(settings), stopping) {}

    model::platform platform;
    bool stopping = false;
    std::unique_ptr<platform_client> client;
    sweep_store store;
    sweeper sweeping;
    int exit_code = cli::exit_failure;
};

boost::asio::awaitable<void> sweep_and_store(one_sweep& one) {
    const std::string_view name = model::to_string(one.platform);
    try {
        collected_sweep collected = co_await one.sweeping.collect();
        const db::write_result written = co_await one.store.write(collected.sweep);
        const sweep_report& report = collected.report;
        spdlog::info("{} sweep {}: {} streams ({} recovered by look-up), {} broadcasts ended, {} "
                     "pages, {} requests, {} rate limited, {} malformed records left out, {} "
                     "snapshots written",
                     name, model::to_string(report.status), report.streams, report.recovered,
                     report.ended, report.pages, report.requests, report.throttled,
                     report.malformed, written.snapshots);
        if (report.status != model::sweep_status::complete) {
            spdlog::error("the {} sweep is {}: {}", name, model::to_string(report.status),
                          report.error);
            one.exit_code = cli::exit_failure;
        } else {
            one.exit_code = cli::exit_ok;
        }
    } catch (const credentials_rejected& e) {
        spdlog::critical("{}", e.what());
        one.exit_code = cli::exit_bad_credentials;
    } catch (const http::untrusted_certificate& e) {
        spdlog::critical("{}: install the CA in the system store or name it in {}", e.what(),
                         find_platform(one.platform)->ca_file_setting);
        one.exit_code = cli::exit_untrusted_certificate;
    } catch (const std::exception& e) {
        spdlog::critical("the {} sweep failed: {}", name, e.what());
        one.exit_code = cli::exit_failure;
    }
}

} // namespace

int run_once(const config::service_settings& service, const collector_settings& settings) {
    if (const int migrated = cli::run_migrate(service.database, "streamscope-collector");
        migrated != cli::exit_ok) {
        return migrated;
    }
    boost::asio::io_context io;
    std::vector<std::unique_ptr<one_sweep>> sweeps;
    for (const model::platform platform : settings.platforms) {
        sweeps.push_back(std::make_unique<one_sweep>(platform, io, service, settings));
        boost::asio::co_spawn(io, sweep_and_store(*sweeps.back()), boost::asio::detached);
    }
    io.run();

    // Every platform refused this collector: say how. Otherwise any trouble is exit_failure.
    bool all_refused = true;
    int refusal = cli::exit_ok;
    int worst = cli::exit_ok;
    for (const auto& one : sweeps) {
        const bool refused = one->exit_code == cli::exit_bad_credentials ||
                             one->exit_code == cli::exit_untrusted_certificate;
        all_refused = all_refused && refused;
        refusal = refused ? one->exit_code : refusal;
        worst = one->exit_code == cli::exit_ok ? worst : cli::exit_failure;
    }
    return all_refused && !sweeps.empty() ? refusal : worst;
}

} // namespace streamscope::collector

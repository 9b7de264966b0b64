#include "collector/commands/daemon.hpp"

#include <exception>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "collector/daemon/daemon.hpp"
#include "common/cli/exit_codes.hpp"

namespace streamscope::collector {

int run_daemon(const config::service_settings& service, const collector_settings& settings) {
    boost::asio::io_context io;
    daemon running{io, service, settings};
    boost::asio::signal_set signals{io, SIGINT, SIGTERM};
    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (!ec) {
            running.stop();
        }
    });
    int exit_code = cli::exit_failure;
    std::exception_ptr failure;
    boost::asio::co_spawn(io, running.run(), [&](std::exception_ptr e, int code) {
        failure = e;
        exit_code = code;
        signals.cancel(); // nothing else keeps io.run() going
    });
    io.run();
    if (failure) {
        std::rethrow_exception(failure);
    }
    return exit_code;
}

} // namespace streamscope::collector

#pragma once
// streamscope-collector's daemon: for each chosen platform, a sweep at every one of its
// interval boundaries while this collector leads that platform; sweeps spooled to disk while
// the database is unreachable and replayed in order when it returns; /health and /metrics all
// along; a clean stop on SIGTERM.

#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "collector/daemon/status.hpp"
#include "collector/settings/settings.hpp"
#include "common/config/service_settings.hpp"

namespace streamscope::collector {

class daemon {
public:
    daemon(boost::asio::io_context& io, const config::service_settings& service,
           const collector_settings& settings);
    ~daemon();
    daemon(const daemon&) = delete;
    daemon& operator=(const daemon&) = delete;

    // Runs until stop(); returns the process's exit code: 0 when stopped; when every platform
    // refused this collector, the code of the last refusal (4: credentials, 5: certificate);
    // 3 when the database's schema is refused.
    boost::asio::awaitable<int> run();

    // Stops paging at the next page, stores or spools what was fetched, then run() returns 0.
    void stop();

    const collector_status& status() const;

private:
    struct parts;
    std::unique_ptr<parts> parts_;
};

} // namespace streamscope::collector

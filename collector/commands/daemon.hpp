#pragma once
// `streamscope-collector` (or `run`): the daemon until SIGTERM or SIGINT.

#include "collector/settings/settings.hpp"
#include "common/config/service_settings.hpp"

namespace streamscope::collector {

// Returns the daemon's exit code; throws what is fatal (credentials_rejected,
// untrusted_certificate) for main to map to its exit code.
int run_daemon(const config::service_settings& service, const collector_settings& settings);

} // namespace streamscope::collector

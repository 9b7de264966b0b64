#pragma once
// `streamscope-collector --once`: migrate, sweep each chosen platform once (side by side),
// store the sweeps, exit.

#include "collector/settings/settings.hpp"
#include "common/config/service_settings.hpp"

namespace streamscope::collector {

// Returns the exit code: exit_ok when every sweep was stored complete; exit_failure when one is
// partial or failed, or one platform refused this collector while another swept (the log says
// why); exit_bad_credentials or exit_untrusted_certificate when every platform refused it; or
// what migrating returned.
int run_once(const config::service_settings& service, const collector_settings& settings);

} // namespace streamscope::collector

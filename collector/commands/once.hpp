#pragma once
// `streamscope-collector --once`: migrate, sweep Twitch once, store the sweep, exit.

#include "collector/settings/settings.hpp"
#include "common/config/service_settings.hpp"

namespace streamscope::collector {

// Returns the exit code: exit_ok when the sweep was stored complete, exit_failure when it is
// partial or failed (the log says why), or what migrating returned. Throws what is fatal
// (credentials_rejected, untrusted_certificate) for main to map to its exit code.
int run_once(const config::service_settings& service, const collector_settings& settings);

} // namespace streamscope::collector

#pragma once
// `streamscope-collector youtube add | remove | list`: YouTube's watchlist from the command
// line, on the database of DATABASE_URL. `add` resolves ids and @handles through channels.list
// (a unit of quota per 50 ids or per handle, paid in the quota ledger like the daemon's calls)
// and reports the channels YouTube does not know (unknown or terminated) without failing.

#include <string>
#include <vector>

#include "collector/youtube/settings.hpp"
#include "common/config/service_settings.hpp"

namespace streamscope::collector {

// The exit code: 0 done, 1 failed (the database, YouTube), 2 bad arguments or settings.
int run_youtube_command(const config::service_settings& service,
                        const youtube::youtube_settings& settings, const std::string& file,
                        const std::vector<std::string>& arguments);

} // namespace streamscope::collector

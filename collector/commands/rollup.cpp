#include "collector/commands/rollup.hpp"

#include <cstdio>
#include <optional>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "common/cli/exit_codes.hpp"
#include "common/cli/migrate_command.hpp"
#include "common/db/connection.hpp"
#include "common/db/rollups.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::collector {
namespace {

std::optional<std::chrono::sys_days> parse_day(const std::string& text) {
    const std::string full = text.size() == 10 ? text + "T00:00:00Z" : text;
    const auto t = time::parse_rfc3339(full);
    if (!t) {
        return std::nullopt;
    }
    return std::chrono::floor<std::chrono::days>(*t);
}

// Draws a bar on a terminal; elsewhere (a log file, a container) a line every 10%.
class progress_report {
public:
    void operator()(std::size_t done, std::size_t total) {
        const int percent = total == 0 ? 100 : static_cast<int>(done * 100 / total);
        if (terminal_) {
            const int bar = percent * 40 / 100;
            std::fprintf(stderr, "\rrollup [%.*s%.*s] %3d%%  %zu/%zu sweeps", bar,
                         "########################################", 40 - bar,
                         "                                        ", percent, done, total);
            if (done == total) {
                std::fputc('\n', stderr);
            }
        } else if (percent / 10 != shown_ / 10) {
            spdlog::info("rollup: {}% ({}/{} sweeps)", percent, done, total);
        }
        shown_ = percent;
    }

private:
    bool terminal_ = isatty(STDERR_FILENO) != 0;
    int shown_ = -1;
};

} // namespace

day_range load_day_range(const config::settings& s, std::vector<std::string>& problems) {
    day_range range;
    const auto from = parse_day(s.get("FROM").value_or(""));
    if (!from) {
        problems.push_back("rollup needs --from YYYY-MM-DD (the first UTC day to rebuild)");
    } else {
        range.from = *from;
    }
    const std::string to_text = s.get("TO").value_or("");
    const auto tomorrow = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                          std::chrono::days(1);
    const auto to = to_text.empty() ? std::optional(tomorrow) : parse_day(to_text);
    if (!to) {
        problems.push_back("--to must be a day (YYYY-MM-DD), the day after the last to rebuild");
    } else {
        range.to = *to;
    }
    if (from && to && *to <= *from) {
        problems.push_back("--to must be after --from");
    }
    return range;
}

int run_rollup(const config::service_settings& service, const day_range& range) {
    if (const int migrated = cli::run_migrate(service.database, "streamscope-collector");
        migrated != cli::exit_ok) {
        return migrated;
    }
    auto conn = db::connect(service.database, {.application_name = "streamscope-rollup"});
    progress_report progress;
    const auto started = std::chrono::steady_clock::now();
    const db::rebuild_result done =
        db::rebuild_rollups(*conn, range.from, range.to, std::ref(progress));
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    spdlog::info("rollup: rebuilt {} sweeps ({} snapshots, {} broadcasts) in {:.1f} s", done.sweeps,
                 done.snapshots, done.broadcasts, took.count());
    return cli::exit_ok;
}

} // namespace streamscope::collector

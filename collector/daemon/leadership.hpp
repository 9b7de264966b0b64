#pragma once
// One leader among the collectors of a database: the one that holds a PostgreSQL advisory
// lock on its own connection. The lock dies with the connection, so a leader killed with -9
// frees it at once and a standby takes it at its next try. Blocking calls: run them on the
// database thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include <pqxx/connection>

#include "collector/daemon/status.hpp"
#include "common/config/database_url.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::collector {

class leadership {
public:
    leadership(config::database_url url, model::platform platform);

    // Checks the lock's connection (a leader whose connection broke has lost the lock) and
    // tries to take the lock when it is not held. Returns leader, standby (another collector
    // holds it) or detached (the database cannot be reached).
    role refresh();

    // When the newest sweep of the platform started, whoever stored it: how a standby knows
    // that the leader is alive. nullopt when there is none or the database is unreachable.
    std::optional<std::chrono::system_clock::time_point> newest_sweep_at();

private:
    // Queries the database's clock (also the check that the connection is alive) and warns, at
    // most hourly, when it differs from this machine's by more than clock_tolerance_s.
    void check_clock();
    static constexpr double clock_tolerance_s = 2.0;

    config::database_url url_;
    model::platform platform_;
    std::unique_ptr<pqxx::connection> conn_;
    bool held_ = false;
    std::optional<std::chrono::steady_clock::time_point> clock_warned_;
};

} // namespace streamscope::collector

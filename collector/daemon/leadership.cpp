#include "collector/daemon/leadership.hpp"

#include <cmath>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "common/db/connection.hpp"

namespace streamscope::collector {
namespace {

// The lock's key: "streamscope collector" and the platform, so that a Kick collector can lead
// beside a Twitch one later.
std::int64_t lock_key(model::platform platform) {
    return 0x5354'5243'4f4c'0000LL + static_cast<std::int64_t>(platform);
}

} // namespace

leadership::leadership(config::database_url url, model::platform platform)
    : url_(std::move(url)), platform_(platform) {}

void leadership::check_clock() {
    using namespace std::chrono;
    const auto before = system_clock::now();
    pqxx::nontransaction tx{*conn_};
    const double db_s =
        tx.exec("SELECT extract(epoch FROM clock_timestamp())::float8")[0][0].as<double>();
    const auto after = system_clock::now();
    // The database's clock against the middle of the round trip.
    const double here_s =
        duration<double>((before + (after - before) / 2).time_since_epoch()).count();
    const double offset = db_s - here_s;
    const auto now = steady_clock::now();
    if (std::abs(offset) > clock_tolerance_s &&
        (!clock_warned_ || now - *clock_warned_ > hours(1))) {
        clock_warned_ = now;
        spdlog::warn("the clocks of this machine and of the database differ by {:.1f} s: sweep "
                     "times come from this machine, the API's ages and windows from the "
                     "database; turn on time synchronisation on both (timedatectl set-ntp true)",
                     offset);
    }
}

role leadership::refresh() {
    if (conn_) {
        try {
            check_clock();
        } catch (const std::exception& e) {
            if (held_) {
                spdlog::error("lost the leader's database connection ({}): no more sweeps are "
                              "written until this collector holds the lock again",
                              e.what());
            }
            conn_.reset();
            held_ = false;
        }
    }
    if (!conn_) {
        try {
            conn_ = db::connect(url_, {.application_name = "streamscope-collector leader lock",
                                       .connect_timeout = std::chrono::seconds(5)});
        } catch (const std::exception& e) {
            spdlog::warn("the database is unreachable ({}); sweeps go to the spool until it is "
                         "back",
                         e.what());
            return role::detached;
        }
    }
    if (held_) {
        return role::leader;
    }
    try {
        pqxx::nontransaction tx{*conn_};
        held_ =
            tx.exec_params("SELECT pg_try_advisory_lock($1)", lock_key(platform_))[0][0].as<bool>();
    } catch (const std::exception& e) {
        spdlog::warn("could not ask for the leader lock ({})", e.what());
        conn_.reset();
        return role::detached;
    }
    if (held_) {
        spdlog::info("this collector is the leader: it sweeps {}", model::to_string(platform_));
    }
    return held_ ? role::leader : role::standby;
}

std::optional<std::chrono::system_clock::time_point> leadership::newest_sweep_at() {
    if (!conn_) {
        return std::nullopt;
    }
    try {
        pqxx::nontransaction tx{*conn_};
        const auto row = tx.exec_params(
            "SELECT (extract(epoch FROM max(started_at)) * 1000000)::bigint FROM sweeps "
            "WHERE platform_id = $1",
            static_cast<int>(platform_));
        if (row[0][0].is_null()) {
            return std::nullopt;
        }
        return std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::microseconds(row[0][0].as<std::int64_t>())));
    } catch (const std::exception&) {
        return std::nullopt; // the next refresh() reports the broken connection
    }
}

} // namespace streamscope::collector

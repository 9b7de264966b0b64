#include "common/db/rollups.hpp"

#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace streamscope::db {
namespace {

// The advisory lock that makes one session at a time roll up (see rollup_pending()).
constexpr const char* lock_sql = "SELECT pg_advisory_lock(hashtext('streamscope.rollups'))";
constexpr const char* unlock_sql = "SELECT pg_advisory_unlock(hashtext('streamscope.rollups'))";
// Small enough that a batch's transaction is short, large enough that commits do not dominate.
constexpr std::size_t sweeps_per_batch = 12;

std::string iso_day(std::chrono::sys_days day) {
    const std::chrono::year_month_day ymd{day};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()));
    return text;
}

// Holds the rollup lock for the life of the object (the session's lock: commits keep it).
class rollup_lock {
public:
    explicit rollup_lock(pqxx::connection& conn) : conn_(conn) {
        pqxx::nontransaction tx{conn_};
        tx.exec(lock_sql);
    }
    ~rollup_lock() {
        try {
            pqxx::nontransaction tx{conn_};
            tx.exec(unlock_sql);
        } catch (...) {
            // The connection is gone: so is the lock.
        }
    }
    rollup_lock(const rollup_lock&) = delete;
    rollup_lock& operator=(const rollup_lock&) = delete;

private:
    pqxx::connection& conn_;
};

} // namespace

int roll_up_pending(pqxx::connection& conn, int platform_id) {
    pqxx::work tx{conn};
    const int done =
        tx.exec_params1("SELECT rollup_pending($1::smallint)", platform_id)[0].as<int>();
    tx.commit();
    return done;
}

rebuild_result rebuild_rollups(pqxx::connection& conn, std::chrono::sys_days from,
                               std::chrono::sys_days to,
                               const std::function<void(std::size_t, std::size_t)>& progress) {
    const rollup_lock locked{conn};
    const std::string first = iso_day(from);
    const std::string end = iso_day(to);
    std::vector<int> sweeps;
    {
        pqxx::work tx{conn};
        for (const auto& row :
             tx.exec_params("SELECT rollup_rebuild_reset($1::date, $2::date)", first, end)) {
            sweeps.push_back(row[0].as<int>());
        }
        tx.commit();
    }
    rebuild_result result;
    result.sweeps = sweeps.size();
    progress(0, sweeps.size());
    for (std::size_t at = 0; at < sweeps.size(); at += sweeps_per_batch) {
        pqxx::work tx{conn};
        const std::size_t stop = std::min(sweeps.size(), at + sweeps_per_batch);
        for (std::size_t i = at; i < stop; ++i) {
            result.snapshots +=
                tx.exec_params1("SELECT rollup_sweep($1, false)", sweeps[i])[0].as<std::size_t>();
        }
        tx.commit();
        progress(stop, sweeps.size());
    }
    pqxx::work tx{conn};
    result.broadcasts =
        tx.exec_params1("SELECT rollup_rebuild_broadcasts($1::date, $2::date)", first, end)[0]
            .as<std::size_t>();
    // The rebuilt days may have rows where there were none (or none where there were): the
    // later days' links to each channel's previous day follow.
    tx.exec_params("SELECT rollup_channel_prev_days($1::date)", first);
    tx.commit();
    return result;
}

long long expire_rollups(pqxx::connection& conn, std::chrono::system_clock::time_point now,
                         int retention_days) {
    const auto cutoff =
        std::chrono::floor<std::chrono::days>(now) - std::chrono::days(retention_days);
    const std::string day = iso_day(cutoff);
    pqxx::work tx{conn};
    long long deleted = 0;
    for (
        const char* sql : {
            "DELETE FROM rollup_channel_hours WHERE hour < $1::date::timestamp AT TIME ZONE 'UTC'",
            "DELETE FROM rollup_game_hours WHERE hour < $1::date::timestamp AT TIME ZONE 'UTC'",
            "DELETE FROM rollup_language_hours WHERE hour < $1::date::timestamp AT TIME ZONE 'UTC'",
            "DELETE FROM rollup_platform_hours WHERE hour < $1::date::timestamp AT TIME ZONE 'UTC'",
            "DELETE FROM rollup_channel_days WHERE day < $1::date",
            "DELETE FROM rollup_channel_day_totals WHERE day < $1::date",
            "DELETE FROM rollup_channel_last_days WHERE day < $1::date",
            "DELETE FROM rollup_game_days WHERE day < $1::date",
            "DELETE FROM channel_follower_days WHERE day < $1::date",
            "DELETE FROM rollup_broadcasts WHERE last_at < $1::date::timestamp AT TIME ZONE 'UTC'",
        }) {
        deleted += tx.exec_params(sql, day).affected_rows();
    }
    tx.commit();
    return deleted;
}

} // namespace streamscope::db

#include "common/db/rollups.hpp"

#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace streamscope::db {
namespace {

// The advisory locks that make one session at a time roll up sweeps (rollup_pending()) and
// fold hours (rollup_fold_pending()); a rebuild holds both.
constexpr const char* sweeps_lock = "streamscope.rollups";
constexpr const char* folds_lock = "streamscope.rollups.fold";
// Small enough that a batch's transaction is short, large enough that commits do not dominate.
constexpr std::size_t sweeps_per_batch = 12;

std::string iso_day(std::chrono::sys_days day) {
    const std::chrono::year_month_day ymd{day};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()));
    return text;
}

// Holds an advisory lock for the life of the object (the session's lock: commits keep it).
class rollup_lock {
public:
    rollup_lock(pqxx::connection& conn, const char* name) : conn_(conn), name_(name) {
        pqxx::nontransaction tx{conn_};
        tx.exec_params("SELECT pg_advisory_lock(hashtext($1))", name_);
    }
    ~rollup_lock() {
        try {
            pqxx::nontransaction tx{conn_};
            tx.exec_params("SELECT pg_advisory_unlock(hashtext($1))", name_);
        } catch (...) {
            // The connection is gone: so is the lock.
        }
    }
    rollup_lock(const rollup_lock&) = delete;
    rollup_lock& operator=(const rollup_lock&) = delete;

private:
    pqxx::connection& conn_;
    const char* name_;
};

} // namespace

int roll_up_pending(pqxx::connection& conn, int platform_id) {
    pqxx::work tx{conn};
    const int done =
        tx.exec_params1("SELECT rollup_pending($1::smallint)", platform_id)[0].as<int>();
    tx.commit();
    return done;
}

int fold_next_hour(pqxx::connection& conn, int platform_id) {
    pqxx::work tx{conn};
    const int done =
        tx.exec_params1("SELECT rollup_fold_pending($1::smallint, true, 1)", platform_id)[0]
            .as<int>();
    tx.commit();
    return done;
}

bool refresh_leaderboards(pqxx::connection& conn, std::chrono::sys_days today) {
    pqxx::work tx{conn};
    const bool ranked =
        tx.exec_params1("SELECT rollup_refresh_leaderboards($1::date)", iso_day(today))[0]
            .as<bool>();
    tx.commit();
    return ranked;
}

rebuild_result rebuild_rollups(pqxx::connection& conn, std::chrono::sys_days from,
                               std::chrono::sys_days to,
                               const std::function<void(std::size_t, std::size_t)>& progress) {
    const rollup_lock sweeps_locked{conn, sweeps_lock};
    const rollup_lock folds_locked{conn, folds_lock};
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
                tx.exec_params1("SELECT rollup_sweep($1)", sweeps[i])[0].as<std::size_t>();
        }
        // The range's hours that are complete now, without their broadcasts (the last step
        // rebuilds those whole). Hours outside the range stay the fold job's.
        tx.exec_params("SELECT rollup_fold_pending(id, false, 1000000, "
                       "$1::date::timestamp AT TIME ZONE 'UTC', "
                       "$2::date::timestamp AT TIME ZONE 'UTC') FROM platforms",
                       first, end);
        tx.commit();
        progress(stop, sweeps.size());
    }
    pqxx::work tx{conn};
    result.broadcasts =
        tx.exec_params1("SELECT rollup_rebuild_broadcasts($1::date, $2::date)", first, end)[0]
            .as<std::size_t>();
    // The rebuilt days may have rows where there were none (or none where there were): the
    // links between each channel's days, and its running totals, follow
    // (sql/functions/rollup_channel_day_links.sql).
    tx.exec_params("SELECT rollup_channel_day_links($1::date)", first);
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

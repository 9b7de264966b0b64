// make bench-ingest: the write path against a real PostgreSQL (TEST_DATABASE_URL).
//
// Seeds 50,000 channels through an earlier sweep, then writes a sweep of 100,000 live streams
// (half of them on those known channels, half on new ones; every broadcast new), then a second
// sweep of the same streams with drifting viewers and 3% new titles. Reports the slower
// sweep, the disk cost per snapshot row, and the naive baseline: one INSERT statement per
// snapshot row, on the same rows. The last line of output is one JSON object.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>

#include <pqxx/pqxx>

#include "common/db/sweep_writer.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/sweep_builder.hpp"

using namespace streamscope;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr long streams_per_sweep = 100'000;
constexpr long known_channels = 50'000;
constexpr long naive_rows = 20'000;

double seconds_since(clock_type::time_point start) {
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

model::stream_observation bench_stream(long channel, long stream, time::timestamp started,
                                       std::mt19937& rng) {
    auto s = testing::make_stream(channel, stream, started);
    if (!s.platform_game_id.empty()) { // about 2,000 categories, as on Twitch
        s.platform_game_id = std::to_string(10'000 + channel % 2000);
        s.game_name = "Category " + std::to_string(channel % 2000) + " — ゲーム";
    }
    s.title += " #" + std::to_string(rng() % 1'000'000);
    return s;
}

// Times one write. Afterwards the tables are analyzed, as autovacuum does within a minute of
// a change this size on a real system (sweeps come minutes apart), so that each sweep is
// planned with statistics that know the previous one.
double timed_write(pqxx::connection& conn, const model::sweep& sweep, db::write_result& out) {
    const auto start = clock_type::now();
    out = db::sweep_writer(conn).write(sweep);
    const double seconds = seconds_since(start);
    pqxx::nontransaction(conn).exec("ANALYZE");
    return seconds;
}

} // namespace

int main() {
    try {
        testing::scratch_database db;
        auto conn = db.connect();
        std::mt19937 rng(42);

        const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
        const time::timestamp t0 = today + std::chrono::hours{12};
        const auto minutes = [](int m) { return std::chrono::minutes{m}; };

        // Earlier broadcasts of the channels that will count as known.
        std::vector<model::stream_observation> seed;
        for (long c = 0; c < known_channels; ++c) {
            seed.push_back(bench_stream(c, 5'000'000 + c, t0 - minutes(120), rng));
        }
        db::write_result result;
        timed_write(*conn, testing::make_sweep(t0 - minutes(60), seed), result);

        std::vector<model::stream_observation> live;
        for (long i = 0; i < streams_per_sweep; ++i) {
            live.push_back(bench_stream(i, i, t0 - minutes(30), rng));
        }
        const double first_s = timed_write(*conn, testing::make_sweep(t0, live), result);
        const auto first = result;

        std::uniform_real_distribution<double> drift(0.9, 1.1);
        for (long i = 0; i < streams_per_sweep; ++i) {
            auto& s = live[static_cast<std::size_t>(i)];
            s.viewer_count = static_cast<std::int32_t>(*s.viewer_count * drift(rng));
            if (i % 33 == 0) {
                s.title = "new title " + std::to_string(i);
            }
        }
        const double second_s =
            timed_write(*conn, testing::make_sweep(t0 + minutes(5), live), result);
        const auto second = result;

        auto tx = std::make_unique<pqxx::nontransaction>(*conn);
        tx->exec("VACUUM ANALYZE snapshots");
        const auto size =
            tx->exec("SELECT (SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
                     "         WHERE inhparent = 'snapshots'::regclass), "
                     "       (SELECT count(*) FROM snapshots)")[0];
        const double bytes_per_row = size[0].as<double>() / size[1].as<double>();

        // Naive baseline: the same rows, one INSERT statement each, in one transaction.
        std::vector<std::int32_t> ids;
        for (const auto& row :
             tx->exec_params("SELECT stream_id FROM snapshots WHERE collected_at = $1 LIMIT $2",
                             time::format_rfc3339(t0 + minutes(5)), naive_rows)) {
            ids.push_back(row[0].as<std::int32_t>());
        }
        tx.reset();
        conn->prepare("naive_insert", "INSERT INTO snapshots (collected_at, stream_id, "
                                      "viewer_count) VALUES ($1, $2, $3)");
        const std::string naive_at = time::format_rfc3339(t0 + minutes(10));
        const auto naive_start = clock_type::now();
        {
            pqxx::work naive(*conn);
            for (std::size_t i = 0; i < ids.size(); ++i) {
                naive.exec_prepared("naive_insert", naive_at, ids[i], static_cast<int>(i));
            }
            naive.commit();
        }
        const double naive_rows_per_s =
            static_cast<double>(ids.size()) / seconds_since(naive_start);

        // The same, as an ORM in its default autocommit mode does it (Django's save(), for
        // one): an unprepared INSERT that commits on its own. On this benchmark's cluster
        // (fsync off) a commit costs little; on a durable one each waits for its WAL flush.
        const std::string orm_at = time::format_rfc3339(t0 + minutes(15));
        const std::size_t orm_rows = std::min<std::size_t>(ids.size(), 5'000);
        const auto orm_start = clock_type::now();
        for (std::size_t i = 0; i < orm_rows; ++i) {
            pqxx::nontransaction(*conn).exec_params(
                "INSERT INTO snapshots (collected_at, stream_id, viewer_count) VALUES ($1, $2, $3)",
                orm_at, ids[i], static_cast<int>(i));
        }
        const double orm_rows_per_s = static_cast<double>(orm_rows) / seconds_since(orm_start);

        const double seconds = std::max(first_s, second_s);
        const double rows_per_s = static_cast<double>(streams_per_sweep) / seconds;
        std::printf(
            "first sweep:  %.3f s (%lld new channels, %lld new broadcasts, %lld snapshots)\n",
            first_s, static_cast<long long>(first.new_channels),
            static_cast<long long>(first.new_streams), static_cast<long long>(first.snapshots));
        std::printf("second sweep: %.3f s (%lld state changes, %lld snapshots)\n", second_s,
                    static_cast<long long>(second.state_changes),
                    static_cast<long long>(second.snapshots));
        std::printf("disk: %.1f bytes per snapshot row; naive baseline %.0f rows/s (one "
                    "prepared INSERT per row in one transaction), %.0f rows/s (autocommit)\n",
                    bytes_per_row, naive_rows_per_s, orm_rows_per_s);
        std::printf("targets: seconds <= 1.0, ratio >= 20, bytes_per_row <= 60\n");
        std::printf("{\"rows\":%ld,\"seconds\":%.3f,\"first_sweep_s\":%.3f,\"second_sweep_s\":%.3f,"
                    "\"rows_per_s\":%.0f,\"bytes_per_row\":%.1f,\"naive_rows_per_s\":%.0f,"
                    "\"naive_rows\":%zu,\"ratio\":%.1f,\"second_sweep_ratio\":%.1f,"
                    "\"naive_autocommit_rows_per_s\":%.0f,\"ratio_to_autocommit\":%.1f}\n",
                    streams_per_sweep, seconds, first_s, second_s, rows_per_s, bytes_per_row,
                    naive_rows_per_s, ids.size(), rows_per_s / naive_rows_per_s,
                    static_cast<double>(streams_per_sweep) / second_s / naive_rows_per_s,
                    orm_rows_per_s, rows_per_s / orm_rows_per_s);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench-ingest failed: " << e.what() << '\n';
        return 1;
    }
}

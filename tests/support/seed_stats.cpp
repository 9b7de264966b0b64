// Seeds the database named by DATABASE_URL with a history for the rollups and /stats, through
// the real write path, rolling up after each sweep as the collector does:
//   CHANNELS (40) channels over DAYS (8) days ending now, a sweep every INTERVAL_MINUTES (10).
// Channels go live daily at their own hour for 2 to 7 hours (and skip some days), stream in
// one of five languages, switch game halfway through every third broadcast, and grow or
// shrink a little from day to day; the collector is away for 40 minutes on the second day.
// After each sweep it rolls up, folds the hours that completed and ranks the channel
// leaderboards, as the collector and its fold job do, timing each apart. With BIG_SWEEP=N it
// then stores an hour of sweeps of N streams two UTC days on and the next hour's first,
// timing each sweep's rollup and the fold of that hour. The last line is one JSON object:
// sweeps, snapshots, and the rollup, fold and ranking times.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/config/database_url.hpp"
#include "common/db/connection.hpp"
#include "common/db/migrate.hpp"
#include "common/db/rollups.hpp"
#include "common/db/sweep_writer.hpp"
#include "tests/support/sweep_builder.hpp"

using namespace streamscope;
using namespace std::chrono;

namespace {

long setting(const char* name, long fallback) {
    const char* text = std::getenv(name);
    return text ? std::atol(text) : fallback;
}

constexpr const char* languages[] = {"en", "de", "es", "pt", "ja"};

struct broadcast_plan {
    bool live = false;
    long stream = 0;
    bool second_half = false;
    long start_day = 0; // the day it began (the day before, past midnight)
};

// Channel c on day d: live from its start hour for its length, unless it rests that day.
broadcast_plan plan(long c, long day, long minute_of_day) {
    const long start = (c * 7) % 24 * 60;
    const long length = (2 + c % 6) * 60;
    long offset = minute_of_day - start;
    if (offset < 0) {
        offset += 24 * 60; // a broadcast that runs past midnight began the day before
        --day;
    }
    const bool rests = (c + day) % 5 == 0;
    if (day < 0 || rests || offset >= length) {
        return {};
    }
    return {true, day * 100000 + c, offset >= length / 2, day};
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

} // namespace

int main() {
    const char* url_text = std::getenv("DATABASE_URL");
    auto url = config::database_url::parse(url_text ? url_text : "");
    if (!url) {
        std::cerr << "seed_stats: " << url.error().message << '\n';
        return 2;
    }
    const long channels = setting("CHANNELS", 40);
    const long day_count = setting("DAYS", 8);
    const long interval = setting("INTERVAL_MINUTES", 10);
    const long big = setting("BIG_SWEEP", 0);
    auto conn = db::connect(*url, {.application_name = "streamscope-seed-stats"});
    db::migrate(*conn, db::embedded_migrations(), db::embedded_repeatables());
    db::sweep_writer writer(*conn);

    const auto now = floor<minutes>(system_clock::now());
    const sys_time<minutes> first = floor<std::chrono::days>(now) - std::chrono::days(day_count);
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> noise(0.9, 1.1);
    std::vector<double> rollup_ms;
    std::vector<double> fold_ms;
    std::vector<double> leaderboard_ms;
    // Folds what completed and ranks the leaderboards again, as the collector's fold job does;
    // the fold's time, when there was any.
    const auto fold = [&] {
        const auto started = steady_clock::now();
        int folded = 0;
        while (db::fold_next_hour(*conn, 1) > 0) {
            ++folded;
        }
        const auto ranking = steady_clock::now();
        if (db::refresh_leaderboards(*conn, floor<std::chrono::days>(system_clock::now()))) {
            leaderboard_ms.push_back(
                duration<double, std::milli>(steady_clock::now() - ranking).count());
        }
        const double took = duration<double, std::milli>(ranking - started).count();
        return folded > 0 ? took : -1.0;
    };
    long sweeps = 0;
    long snapshots = 0;
    std::map<std::string, time::timestamp> open; // broadcasts live at the last sweep
    long last_follower_day = -1;
    for (auto at = first; at + minutes(interval) < now; at += minutes(interval)) {
        const long minute = duration_cast<minutes>(at - first).count();
        const long day = minute / (24 * 60);
        if (day == 1 && minute % (24 * 60) >= 600 && minute % (24 * 60) < 640) {
            continue; // the collector was away
        }
        std::vector<model::stream_observation> streams;
        for (long c = 0; c < channels; ++c) {
            const broadcast_plan p = plan(c, day, minute % (24 * 60));
            if (!p.live) {
                continue;
            }
            const auto started =
                first + std::chrono::days(p.start_day) + minutes((c * 7) % 24 * 60);
            auto s = testing::make_stream(c, p.stream, started);
            const long game = (c % 30) + (p.second_half && p.stream % 3 == 0 ? 1 : 0);
            s.platform_game_id = "game-" + std::to_string(game);
            s.game_name = "Game " + std::to_string(game);
            s.title = "Broadcast " + std::to_string(p.stream) + (p.second_half ? " (late)" : "");
            s.language = languages[c % 5];
            // Popularity falls with the channel number; a third of the channels grow 5% a day,
            // a third shrink 3% a day.
            const double trend = c % 3 == 0 ? 1.05 : (c % 3 == 1 ? 0.97 : 1.0);
            const double base =
                50000.0 / static_cast<double>(c + 1) * std::pow(trend, static_cast<double>(day));
            s.viewer_count = static_cast<std::int32_t>(base * noise(rng));
            streams.push_back(std::move(s));
        }
        snapshots += static_cast<long>(streams.size());
        // Broadcasts gone from this sweep ended at their last sighting, as the collector
        // decides; follower totals are fetched once a day, growing with the channel.
        model::sweep sweep = testing::make_sweep(time::timestamp(at), {});
        std::map<std::string, time::timestamp> now_open;
        for (const auto& s : streams) {
            now_open.emplace(s.platform_stream_id, time::timestamp(at));
            open.erase(s.platform_stream_id);
        }
        for (const auto& [id, last_seen] : open) {
            sweep.ended.push_back({id, last_seen});
        }
        open = std::move(now_open);
        if (day != last_follower_day) {
            last_follower_day = day;
            for (long c = 0; c < channels; ++c) {
                const double trend = c % 3 == 0 ? 1.02 : 1.0;
                sweep.followers.push_back(
                    {"user-" + std::to_string(c),
                     static_cast<std::int64_t>(1e6 / static_cast<double>(c + 1) *
                                               std::pow(trend, static_cast<double>(day)))});
            }
        }
        sweep.streams.assign(std::make_move_iterator(streams.begin()),
                             std::make_move_iterator(streams.end()));
        writer.write(sweep);
        const auto started = steady_clock::now();
        db::roll_up_pending(*conn, 1);
        rollup_ms.push_back(duration<double, std::milli>(steady_clock::now() - started).count());
        if (const double took = fold(); took >= 0) {
            fold_ms.push_back(took);
        }
        ++sweeps;
    }

    // With BIG_SWEEP: an hour of 5-minute sweeps of `big` streams (a few channels change game
    // or start a new broadcast each sweep), and the first sweep of the next hour; each sweep's
    // rollup is timed (it runs once the next sweep is written), then the fold of the hour.
    // The hour lies two UTC days on, so that windows ending now never hold it, whatever the
    // time of day, even once the timing that follows has passed midnight: the stats are timed
    // on the world above (bench/stats).
    std::vector<double> big_rollup_ms;
    double big_fold_ms = 0;
    if (big > 0) {
        const auto hour = ceil<std::chrono::days>(now) + std::chrono::days(1) + hours(1);
        for (long k = 0; k <= 12; ++k) {
            std::vector<model::stream_observation> streams;
            for (long i = 0; i < big; ++i) {
                // Every 1,000th channel starts a new broadcast each sweep; every 500th plays
                // the k-th game.
                const long restarts = i % 1000 == 0 ? k : 0;
                auto s = testing::make_stream(1'000'000 + i, 10'000'000 + i + restarts * big,
                                              time::timestamp(hour));
                s.language = languages[i % 5];
                s.viewer_count = static_cast<std::int32_t>(100000 / (i + 1) + k);
                if (i % 500 == 0) {
                    s.platform_game_id = "game-" + std::to_string(k);
                    s.game_name = "Game " + std::to_string(k);
                }
                streams.push_back(std::move(s));
            }
            writer.write(testing::make_sweep(time::timestamp(hour + minutes(1 + 5 * k)),
                                             std::move(streams)));
            const auto started = steady_clock::now();
            db::roll_up_pending(*conn, 1);
            const double took = duration<double, std::milli>(steady_clock::now() - started).count();
            if (k > 0) {
                big_rollup_ms.push_back(took);
            }
            if (const double folded = fold(); k == 12) {
                big_fold_ms = folded;
            }
        }
    }
    std::printf("{\"sweeps\": %ld, \"snapshots\": %ld, \"rollup_ms_p50\": %.2f, "
                "\"rollup_ms_p95\": %.2f, \"rollup_ms_max\": %.2f, \"hour_folds\": %zu, "
                "\"fold_ms_p50\": %.2f, \"fold_ms_p95\": %.2f, \"fold_ms_max\": %.2f, "
                "\"big_sweep_streams\": %ld, \"big_sweep_rollup_ms_p50\": %.1f, "
                "\"big_sweep_rollup_ms_max\": %.1f, \"big_hour_fold_ms\": %.1f, "
                "\"leaderboards\": %zu, \"leaderboard_ms_p50\": %.1f, "
                "\"leaderboard_ms_max\": %.1f}\n",
                sweeps, snapshots, percentile(rollup_ms, 0.5), percentile(rollup_ms, 0.95),
                percentile(rollup_ms, 1.0), fold_ms.size(), percentile(fold_ms, 0.5),
                percentile(fold_ms, 0.95), percentile(fold_ms, 1.0), big,
                percentile(big_rollup_ms, 0.5), percentile(big_rollup_ms, 1.0), big_fold_ms,
                leaderboard_ms.size(), percentile(leaderboard_ms, 0.5),
                percentile(leaderboard_ms, 1.0));
    return 0;
}

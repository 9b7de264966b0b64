// Seeds the database named by DATABASE_URL for `make bench-api`: CHANNELS channels (2,000)
// live around the clock with a new broadcast each day, a sweep every 5 minutes for DAYS days
// (7), written through the real write path. Prints the login of the most watched channel.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>

#include "common/config/database_url.hpp"
#include "common/db/connection.hpp"
#include "common/db/migrate.hpp"
#include "common/db/sweep_writer.hpp"
#include "tests/support/sweep_builder.hpp"

using namespace streamscope;

int main() {
    const char* url_text = std::getenv("DATABASE_URL");
    auto url = config::database_url::parse(url_text ? url_text : "");
    if (!url) {
        std::cerr << "seed_api: " << url.error().message << '\n';
        return 2;
    }
    const long channels = std::getenv("CHANNELS") ? std::atol(std::getenv("CHANNELS")) : 2000;
    const long days = std::getenv("DAYS") ? std::atol(std::getenv("DAYS")) : 7;
    auto conn = db::connect(*url, {.application_name = "streamscope-seed-api"});
    db::migrate(*conn, db::embedded_migrations(), db::embedded_repeatables());
    db::sweep_writer writer(*conn);

    using namespace std::chrono;
    const auto now = time_point_cast<microseconds>(system_clock::now());
    const auto first = now - hours(24 * days);
    std::mt19937 rng(7);
    const long sweeps = days * 24 * 12;
    for (long i = 0; i < sweeps; ++i) {
        const auto at = first + minutes(5 * i);
        const long day = i / (24 * 12);
        std::vector<model::stream_observation> streams;
        streams.reserve(static_cast<std::size_t>(channels));
        for (long c = 0; c < channels; ++c) {
            auto s = testing::make_stream(c, day * channels + c, first + hours(24 * day));
            // Popularity falls with the channel number; viewers drift through the day.
            const double base = 200000.0 / static_cast<double>(c + 1);
            s.viewer_count = static_cast<std::int32_t>(
                base * (0.8 + 0.4 * std::uniform_real_distribution<double>(0, 1)(rng)));
            streams.push_back(std::move(s));
        }
        writer.write(testing::make_sweep(at, std::move(streams)));
        if (i % 288 == 0) {
            std::fprintf(stderr, "seed_api: day %ld of %ld\n", day + 1, days);
        }
    }
    std::printf("user_0\n");
    return 0;
}

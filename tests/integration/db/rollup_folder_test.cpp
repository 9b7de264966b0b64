#include <chrono>
#include <thread>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "collector/store/rollup_folder.hpp"
#include "common/db/rollups.hpp"
#include "common/db/sweep_writer.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/sweep_builder.hpp"

using namespace streamscope;
using namespace std::chrono;
using testing::at;

TEST_CASE("the collector's fold job folds complete hours on its own connection",
          "[db][rollups][collector]") {
    testing::scratch_database db;
    auto conn = db.connect();
    db::sweep_writer writer{*conn};
    for (const char* t : {"2020-03-01T10:55:00Z", "2020-03-01T11:00:00Z"}) {
        writer.write(
            testing::make_sweep(at(t), {testing::make_stream(1, 1, at("2020-03-01T10:00:00Z"))}));
    }
    REQUIRE(db::roll_up_pending(*conn, 1) == 1);

    const auto folded = [&] {
        return pqxx::nontransaction(*conn)
            .exec1("SELECT count(*) FROM rollup_platform_hours WHERE folded_at IS NOT NULL")[0]
            .as<int>();
    };
    {
        collector::rollup_folder folder{db.url()};
        folder.request(model::platform::twitch);
        folder.request(model::platform::twitch); // the same request while one waits
        const auto deadline = steady_clock::now() + seconds(20);
        while (folded() == 0 && steady_clock::now() < deadline) {
            std::this_thread::sleep_for(milliseconds(20));
        }
        CHECK(folded() == 1);
    }
    CHECK(folded() == 1);
    CHECK(pqxx::nontransaction(*conn)
              .exec1("SELECT count(*) FROM rollup_channel_days")[0]
              .as<int>() == 1);
}

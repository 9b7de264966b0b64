#include <chrono>
#include <future>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "collector/youtube/tracking.hpp"
#include "common/time/timestamp.hpp"
#include "tests/support/scratch_database.hpp"

using namespace streamscope;

namespace {

const std::string watched_id = "UCaaaaaaaaaaaaaaaaaaaaaa";
const std::string other_id = "UCbbbbbbbbbbbbbbbbbbbbbb";

std::vector<youtube::channel_info> two_channels() {
    youtube::channel_info a;
    a.channel_id = watched_id;
    youtube::channel_info b;
    b.channel_id = other_id;
    return {a, b};
}

std::vector<std::string> candidate_videos(pqxx::connection& conn) {
    std::vector<std::string> out;
    for (const auto& c :
         youtube::load_candidates(conn,
                                  std::chrono::time_point_cast<std::chrono::microseconds>(
                                      std::chrono::system_clock::now()),
                                  100)) {
        out.push_back(c.video_id);
    }
    return out;
}

} // namespace

TEST_CASE("a channel taken off the watchlist takes its videos along", "[db][youtube][watchlist]") {
    testing::scratch_database db;
    auto conn = db.connect();
    REQUIRE(youtube::add_to_watchlist(*conn, two_channels(), "command") == 2);
    CHECK(youtube::record_feed(*conn, watched_id, true, {"video_one_1", "video_two_2"}) == 2);
    CHECK(youtube::record_found(*conn, other_id, {"video_thr_3"}) == 1);

    CHECK(youtube::remove_from_watchlist(*conn, {watched_id, "UCcccccccccccccccccccccc"}) ==
          std::vector<std::string>{watched_id});
    CHECK(candidate_videos(*conn) == std::vector<std::string>{"video_thr_3"});

    // A feed read before the removal, written after it, adds nothing.
    CHECK(youtube::record_feed(*conn, watched_id, true, {"video_fou_4"}) == 0);
    CHECK(youtube::record_found(*conn, watched_id, {"video_fiv_5"}) == 0);
    CHECK(candidate_videos(*conn) == std::vector<std::string>{"video_thr_3"});
}

TEST_CASE("a feed written while its channel is being removed waits and adds nothing",
          "[db][youtube][watchlist]") {
    testing::scratch_database db;
    auto remover = db.connect();
    auto poller = db.connect();
    REQUIRE(youtube::add_to_watchlist(*remover, two_channels(), "command") == 2);

    pqxx::work removal(*remover);
    removal.exec_params("DELETE FROM youtube_channels WHERE channel_id = $1", watched_id);
    auto written = std::async(std::launch::async, [&] {
        return youtube::record_feed(*poller, watched_id, true, {"video_six_6"});
    });
    // The poller waits for the removal's lock; give it time to get there.
    CHECK(written.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout);
    removal.commit();
    CHECK(written.get() == 0);
    CHECK(candidate_videos(*remover).empty());
}

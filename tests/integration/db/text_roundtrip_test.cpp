#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "common/db/sweep_writer.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/sweep_builder.hpp"

using namespace streamscope;

namespace {

// Text that breaks naive escaping, quoting or encoding somewhere.
const std::vector<std::string> nasty = {
    "emoji 🎮🔥👩‍👩‍👧 and flags 🇯🇵",
    "日本語のタイトル・中文标题・한국어",
    "עברית ومعها العربية mixed RTL \u202etxet desrever\u202c",
    "combining: e\u0301 a\u0308 Z\u0336a\u0337l\u0338g\u0335o",
    "quotes ' \" `` and backslashes \\ \\\\ \\N \\t",
    "tab\there, newline\nthere, carriage\rreturn",
    "'; DROP TABLE channels; -- and $1 and %s and {}",
    "{array,\"literal\",\\}",
    "=cmd|' /C calc'!A0",
    "zero\u200bwidth\ufeffbom",
};

} // namespace

TEST_CASE("titles, names, tags and profiles round-trip byte for byte", "[db][writer][text]") {
    testing::scratch_database db;
    auto conn = db.connect();
    const auto t0 = testing::at("2026-11-25T10:00:00Z");
    std::vector<model::stream_observation> streams;
    for (std::size_t i = 0; i < nasty.size(); ++i) {
        auto s = testing::make_stream(static_cast<long>(i), static_cast<long>(i), t0);
        s.title = nasty[i];
        s.display_name = nasty[(i + 1) % nasty.size()];
        s.game_name = nasty[(i + 2) % nasty.size()];
        // Appended, not "g" + ...: GCC 12 warns about that with a false -Wrestrict.
        s.platform_game_id = "g";
        s.platform_game_id += std::to_string(i);
        s.tags = {nasty[i], nasty[(i + 3) % nasty.size()], ""};
        streams.push_back(s);
    }
    auto sweep = testing::make_sweep(t0, streams);
    sweep.profiles.push_back({"user-0", nasty[4], nasty[5], "affiliate", std::nullopt});
    sweep.error = nasty[6];
    db::sweep_writer(*conn).write(sweep);

    pqxx::nontransaction tx(*conn);
    for (std::size_t i = 0; i < nasty.size(); ++i) {
        INFO("stream " << i);
        const auto row =
            tx.exec_params("SELECT s.title, c.display_name, g.name, s.tags, v.title, v.game_name "
                           "FROM streams s JOIN channels c ON c.id = s.channel_id "
                           "JOIN games g ON g.id = s.game_id "
                           "JOIN compat.live_snapshots v ON v.stream_id = s.platform_stream_id "
                           "WHERE s.platform_stream_id = $1",
                           "stream-" + std::to_string(i))[0];
        CHECK(row[0].as<std::string>() == nasty[i]);
        CHECK(row[1].as<std::string>() == nasty[(i + 1) % nasty.size()]);
        CHECK(row[2].as<std::string>() == nasty[(i + 2) % nasty.size()]);
        CHECK(row[4].as<std::string>() == nasty[i]);
        CHECK(row[5].as<std::string>() == nasty[(i + 2) % nasty.size()]);
        // Compare the tags element by element, as PostgreSQL sees them.
        for (int k = 0; k < 3; ++k) {
            const auto tag =
                tx.exec_params("SELECT ($1::text[])[$2]", row[3].as<std::string>(), k + 1)[0][0];
            CHECK(tag.as<std::string>() == streams[i].tags[static_cast<std::size_t>(k)]);
        }
    }
    const auto profile = tx.exec("SELECT description, profile_image_url, account_created_at "
                                 "FROM channels WHERE platform_user_id = 'user-0'")[0];
    CHECK(profile[0].as<std::string>() == nasty[4]);
    CHECK(profile[1].as<std::string>() == nasty[5]);
    CHECK(profile[2].is_null());
    CHECK(tx.exec("SELECT error FROM sweeps")[0][0].as<std::string>() == nasty[6]);
}

TEST_CASE("a sweep larger than one COPY block keeps every row intact", "[db][writer][text]") {
    testing::scratch_database db;
    auto conn = db.connect();
    const auto t0 = testing::at("2026-11-25T10:00:00Z");
    std::vector<model::stream_observation> streams;
    for (long i = 0; i < 3000; ++i) { // about 1 MB of rows: many blocks of 64 KiB
        auto s = testing::make_stream(i, i, t0);
        s.title = nasty[static_cast<std::size_t>(i) % nasty.size()] + " #" + std::to_string(i);
        streams.push_back(s);
    }
    // A NUL byte (JSON "\u0000"), which PostgreSQL text cannot hold, is dropped.
    streams[5].title = std::string("NUL\0inside", 10);
    db::sweep_writer(*conn).write(testing::make_sweep(t0, streams));
    streams[5].title = "NULinside";

    pqxx::nontransaction tx(*conn);
    const auto rows =
        tx.exec("SELECT s.platform_stream_id, s.title, c.login, x.viewer_count FROM streams s "
                "JOIN channels c ON c.id = s.channel_id JOIN snapshots x ON x.stream_id = s.id");
    REQUIRE(rows.size() == streams.size());
    std::size_t intact = 0;
    for (const auto& row : rows) {
        const auto i = std::stoul(std::string(row[0].c_str()).substr(7)); // "stream-N"
        REQUIRE(i < streams.size());
        intact += row[1].as<std::string>() == streams[i].title &&
                  row[2].as<std::string>() == streams[i].login &&
                  row[3].as<int>() == *streams[i].viewer_count;
    }
    CHECK(intact == streams.size());
}

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include "collector/spool/spool.hpp"
#include "collector/spool/sweep_codec.hpp"
#include "common/time/timestamp.hpp"

namespace fs = std::filesystem;
using streamscope::collector::decode_sweep;
using streamscope::collector::encode_sweep;
using streamscope::collector::parse_sweep_status;
using streamscope::collector::spool;
using streamscope::collector::spool_corrupt;
using streamscope::collector::spool_file_name;
namespace model = streamscope::model;
namespace time_ns = streamscope::time;

namespace {

// A fresh directory per test, removed with everything in it afterwards.
class scratch_directory {
public:
    scratch_directory() {
        std::string pattern = (fs::temp_directory_path() / "streamscope-spool-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path_ = pattern;
    }
    scratch_directory(const scratch_directory&) = delete;
    scratch_directory& operator=(const scratch_directory&) = delete;
    ~scratch_directory() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

time_ns::timestamp at(std::string_view rfc3339) {
    auto t = time_ns::parse_rfc3339(rfc3339);
    REQUIRE(t.has_value());
    return *t;
}

const std::string nasty[] = {
    "🎮 ranked grind 🔥🔥 !drops",
    "𝕿𝖜𝖎𝖙𝖈𝖍 𝒸𝓊𝓇𝓈𝒾𝓋ℯ 𐍈 astral plane",
    "Z\u0351\u0352\u0353a\u0300\u0301\u0302lgo e\u0301 n\u0303",
    "مرحبا بالعالم \u202eRTL override\u202c עברית",
    "family 👨‍👩‍👧‍👦 flag 🏳️‍🌈",
    "\"quoted\" and 'single' and `back`",
    "C:\\path\\to\\file \\\\ \\u0041 not an escape",
    "tab\there\nnewline\r\ncarriage",
    std::string("nul\0byte", 8),
    "\x7f del, \u2028 line separator, \u2029 paragraph",
    "bytes that are not UTF-8: \xff\xfe\xc3",
    "",
};

model::stream_observation nasty_stream(std::size_t i) {
    model::stream_observation s;
    s.platform_stream_id = "4000000000" + std::to_string(i);
    s.platform_user_id = "1" + std::to_string(i);
    s.login = "user_" + std::to_string(i);
    s.display_name = nasty[i % std::size(nasty)];
    s.platform_game_id = i % 2 == 0 ? "" : "509658";
    s.game_name = nasty[(i + 1) % std::size(nasty)];
    s.title = nasty[(i + 2) % std::size(nasty)];
    s.tags = {nasty[(i + 3) % std::size(nasty)], "English", ""};
    if (i % 3 != 0) {
        s.viewer_count = static_cast<std::int32_t>(i * 1000);
    }
    s.started_at = at("2026-11-25T09:00:00.000001Z") + std::chrono::seconds{i};
    s.language = "en";
    s.thumbnail_url =
        "https://static-cdn.jtvnw.net/previews-ttv/live_user_" + s.login + "-{width}x{height}.jpg";
    s.is_mature = i % 2 == 1;
    return s;
}

model::sweep nasty_sweep() {
    model::sweep sweep;
    sweep.source = model::platform::twitch;
    sweep.started_at = at("2026-11-25T10:00:00.123456Z");
    sweep.finished_at = at("2026-11-25T10:01:30.654321Z");
    sweep.status = model::sweep_status::partial;
    sweep.pages = 1234;
    sweep.requests = 1300;
    sweep.retries = 66;
    sweep.duplicates_dropped = 17;
    sweep.malformed_records = 3;
    sweep.error = "page 12: \"invalid cursor\"\nretried once\t" + nasty[3];
    for (std::size_t i = 0; i < std::size(nasty); ++i) {
        sweep.streams.push_back(nasty_stream(i));
    }
    sweep.profiles.push_back(
        {"11", nasty[0], "https://static-cdn.jtvnw.net/a.png", "partner", sweep.started_at});
    // No broadcaster type: a platform that does not say (Kick).
    sweep.profiles.push_back({"12", nasty[7], "", std::nullopt, std::nullopt});
    sweep.followers.push_back({"11", 9'000'000'000});
    sweep.followers.push_back({"12", 0});
    sweep.games.push_back({"509658", nasty[4], "https://box/{width}x{height}.jpg", "1234"});
    sweep.games.push_back({"0", nasty[6], "", ""});
    sweep.ended.push_back({"399999", at("2026-11-25T09:55:00.5Z")});
    return sweep;
}

void check_same(const model::stream_observation& a, const model::stream_observation& b) {
    CHECK(a.platform_stream_id == b.platform_stream_id);
    CHECK(a.platform_user_id == b.platform_user_id);
    CHECK(a.login == b.login);
    CHECK(a.display_name == b.display_name);
    CHECK(a.platform_game_id == b.platform_game_id);
    CHECK(a.game_name == b.game_name);
    CHECK(a.title == b.title);
    CHECK(a.tags == b.tags);
    CHECK(a.viewer_count == b.viewer_count);
    CHECK(a.started_at == b.started_at);
    CHECK(a.language == b.language);
    CHECK(a.thumbnail_url == b.thumbnail_url);
    CHECK(a.is_mature == b.is_mature);
}

void check_same(const model::sweep& a, const model::sweep& b) {
    CHECK(a.source == b.source);
    CHECK(a.started_at == b.started_at);
    CHECK(a.finished_at == b.finished_at);
    CHECK(a.status == b.status);
    CHECK(a.pages == b.pages);
    CHECK(a.requests == b.requests);
    CHECK(a.retries == b.retries);
    CHECK(a.duplicates_dropped == b.duplicates_dropped);
    CHECK(a.malformed_records == b.malformed_records);
    CHECK(a.error == b.error);
    REQUIRE(a.streams.size() == b.streams.size());
    for (std::size_t i = 0; i < a.streams.size(); ++i) {
        INFO("stream " << i);
        check_same(a.streams[i], b.streams[i]);
    }
    REQUIRE(a.profiles.size() == b.profiles.size());
    for (std::size_t i = 0; i < a.profiles.size(); ++i) {
        CHECK(a.profiles[i].platform_user_id == b.profiles[i].platform_user_id);
        CHECK(a.profiles[i].description == b.profiles[i].description);
        CHECK(a.profiles[i].profile_image_url == b.profiles[i].profile_image_url);
        CHECK(a.profiles[i].broadcaster_type == b.profiles[i].broadcaster_type);
        CHECK(a.profiles[i].account_created_at == b.profiles[i].account_created_at);
    }
    REQUIRE(a.followers.size() == b.followers.size());
    for (std::size_t i = 0; i < a.followers.size(); ++i) {
        CHECK(a.followers[i].platform_user_id == b.followers[i].platform_user_id);
        CHECK(a.followers[i].followers == b.followers[i].followers);
    }
    REQUIRE(a.games.size() == b.games.size());
    for (std::size_t i = 0; i < a.games.size(); ++i) {
        CHECK(a.games[i].platform_game_id == b.games[i].platform_game_id);
        CHECK(a.games[i].name == b.games[i].name);
        CHECK(a.games[i].box_art_url == b.games[i].box_art_url);
        CHECK(a.games[i].igdb_id == b.games[i].igdb_id);
    }
    REQUIRE(a.ended.size() == b.ended.size());
    for (std::size_t i = 0; i < a.ended.size(); ++i) {
        CHECK(a.ended[i].platform_stream_id == b.ended[i].platform_stream_id);
        CHECK(a.ended[i].last_seen_at == b.ended[i].last_seen_at);
    }
}

// A small sweep that differs from others only by its start time.
model::sweep sweep_at(std::string_view started_at,
                      model::platform source = model::platform::twitch) {
    model::sweep sweep;
    sweep.source = source;
    sweep.started_at = at(started_at);
    sweep.finished_at = sweep.started_at + std::chrono::seconds{90};
    sweep.streams.push_back(nasty_stream(1));
    return sweep;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

// The offset just past the n-th newline (n counted from 1).
std::size_t after_line(const std::string& text, std::size_t n) {
    std::size_t pos = 0;
    for (std::size_t i = 0; i < n; ++i) {
        pos = text.find('\n', pos) + 1;
    }
    return pos;
}

model::sweep decode(const std::string& text, std::string_view name = "test.sweep") {
    std::istringstream in(text);
    return decode_sweep(in, name);
}

} // namespace

TEST_CASE("a sweep with nasty strings and every kind of record round-trips through the spool",
          "[unit][spool]") {
    const scratch_directory dir;
    spool s(dir.path(), 1 << 20);
    const model::sweep original = nasty_sweep();
    REQUIRE(s.put(original) == spool::put_result::stored);
    const auto entries = s.list();
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].path.filename() == "20261125T100000.123456Z-twitch.sweep");
    check_same(s.load(entries[0]), original);
    // The codec alone, through a string.
    check_same(decode(encode_sweep(original)), original);
}

TEST_CASE("viewer counts and account creation times that are absent stay absent", "[unit][spool]") {
    const model::sweep decoded = decode(encode_sweep(nasty_sweep()));
    CHECK_FALSE(decoded.streams[0].viewer_count.has_value());
    CHECK(decoded.streams[1].viewer_count == 1000);
    CHECK(decoded.profiles[0].account_created_at.has_value());
    CHECK_FALSE(decoded.profiles[1].account_created_at.has_value());
}

TEST_CASE("the file is a header, one line per record and a trailer", "[unit][spool]") {
    const model::sweep sweep = nasty_sweep();
    const std::string text = encode_sweep(sweep);
    const std::size_t records = sweep.streams.size() + sweep.profiles.size() +
                                sweep.followers.size() + sweep.games.size() + sweep.ended.size();
    CHECK(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) == records + 2);
    CHECK(text.starts_with(R"({"format":"streamscope-sweep","version":1,"source":1,)"
                           R"("started_at":1795600800123456,)"));
    const std::size_t trailer = after_line(text, records + 1);
    CHECK(text.substr(trailer) ==
          "[\"end\"," + std::to_string(records) + "," + std::to_string(trailer) + "]\n");
}

TEST_CASE("sweep statuses parse back from their names", "[unit][spool]") {
    for (const auto status : {model::sweep_status::complete, model::sweep_status::partial,
                              model::sweep_status::failed}) {
        CHECK(parse_sweep_status(model::to_string(status)) == status);
    }
    CHECK_FALSE(parse_sweep_status("Complete").has_value());
    CHECK_FALSE(parse_sweep_status("").has_value());
}

TEST_CASE("the spool lists its sweeps oldest first", "[unit][spool]") {
    const scratch_directory dir;
    spool s(dir.path(), 1 << 20);
    REQUIRE(s.put(sweep_at("2026-11-25T10:05:00Z")) == spool::put_result::stored);
    REQUIRE(s.put(sweep_at("2025-12-31T23:59:59.999999Z")) == spool::put_result::stored);
    REQUIRE(s.put(sweep_at("2026-11-25T10:00:00.000001Z")) == spool::put_result::stored);
    REQUIRE(s.put(sweep_at("2026-11-25T09:55:00Z", model::platform::kick)) ==
            spool::put_result::stored);
    const auto entries = s.list();
    REQUIRE(entries.size() == 4);
    CHECK(s.load(entries[0]).started_at == at("2025-12-31T23:59:59.999999Z"));
    CHECK(s.load(entries[1]).started_at == at("2026-11-25T09:55:00Z"));
    CHECK(s.load(entries[1]).source == model::platform::kick);
    CHECK(s.load(entries[2]).started_at == at("2026-11-25T10:00:00.000001Z"));
    CHECK(s.load(entries[3]).started_at == at("2026-11-25T10:05:00Z"));
    CHECK(entries[1].path.filename() == "20261125T095500.000000Z-kick.sweep");
    CHECK(spool_file_name(sweep_at("2026-01-02T03:04:05.000006Z")) ==
          "20260102T030405.000006Z-twitch.sweep");

    // Each platform replays its own sweeps, in order.
    const auto twitch = s.list(model::platform::twitch);
    REQUIRE(twitch.size() == 3);
    CHECK(twitch[0].path == entries[0].path);
    CHECK(twitch[1].path == entries[2].path);
    CHECK(twitch[2].path == entries[3].path);
    const auto kick = s.list(model::platform::kick);
    REQUIRE(kick.size() == 1);
    CHECK(kick[0].path == entries[1].path);
    CHECK(s.list(model::platform::youtube).empty());
}

TEST_CASE("a file spooled before sweeps counted malformed records still reads", "[unit][spool]") {
    model::sweep sweep = nasty_sweep();
    sweep.malformed_records = 0;
    std::string text = encode_sweep(sweep);
    // The older format: the header without the field, and the trailer's byte count to match.
    const std::string field = R"(,"malformed_records":0)";
    const auto at_field = text.find(field);
    REQUIRE(at_field < text.find('\n'));
    text.erase(at_field, field.size());
    const std::size_t records = sweep.streams.size() + sweep.profiles.size() +
                                sweep.followers.size() + sweep.games.size() + sweep.ended.size();
    const std::size_t trailer = after_line(text, records + 1);
    text = text.substr(0, trailer) + "[\"end\"," + std::to_string(records) + "," +
           std::to_string(trailer) + "]\n";
    std::istringstream in(text);
    sweep.malformed_records = 5;
    const model::sweep read = decode_sweep(in, "old.sweep");
    CHECK(read.malformed_records == 0);
    CHECK(read.streams.size() == sweep.streams.size());
}

TEST_CASE("a sweep that would take the spool past its limit is refused and leaves nothing",
          "[unit][spool]") {
    const scratch_directory dir;
    // Sweeps that differ only in the start time encode to the same size.
    const auto one = encode_sweep(sweep_at("2026-11-25T10:00:00Z")).size();
    spool s(dir.path(), 2 * one);
    CHECK(s.put(sweep_at("2026-11-25T10:00:00Z")) == spool::put_result::stored);
    CHECK(s.put(sweep_at("2026-11-25T10:05:00Z")) == spool::put_result::stored); // exactly full
    CHECK(s.put(sweep_at("2026-11-25T10:10:00Z")) == spool::put_result::full);
    CHECK(s.files() == 2);
    CHECK(s.bytes() == 2 * one);
    // Nothing else in the directory: the refused sweep's temporary file is gone.
    CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 2);
    // The same sweep again replaces its own file, so it still fits.
    CHECK(s.put(sweep_at("2026-11-25T10:05:00Z")) == spool::put_result::stored);
    CHECK(s.files() == 2);

    const scratch_directory small;
    spool tiny(small.path(), one - 1);
    CHECK(tiny.put(sweep_at("2026-11-25T10:00:00Z")) == spool::put_result::full);
    CHECK(tiny.files() == 0);
    CHECK(fs::is_empty(small.path()));
}

TEST_CASE("a file cut short anywhere is corrupt, and the error names the file and line",
          "[unit][spool]") {
    const scratch_directory dir;
    spool s(dir.path(), 1 << 20);
    const model::sweep sweep = nasty_sweep();
    REQUIRE(s.put(sweep) == spool::put_result::stored);
    const spool::entry e = s.list().at(0);
    const std::string whole = read_file(e.path);
    const std::size_t records = 19;
    const std::size_t trailer = after_line(whole, records + 1);

    struct cut {
        const char* what;
        std::size_t length;
        const char* message;
    };
    const cut cuts[] = {
        {"empty", 0, ":1: the file is empty"},
        {"mid header", 30, ":1: the last line has no newline"},
        {"after the header", after_line(whole, 1), ":2: the file ends without its trailer"},
        {"mid record", after_line(whole, 5) + 20, ":6: the last line has no newline"},
        {"after a full record line", after_line(whole, 7), ":8: the file ends without its trailer"},
        {"before the trailer", trailer, ":21: the file ends without its trailer"},
        {"mid trailer", trailer + 8, ":21: "},
        {"trailer without its newline", whole.size() - 1, ":21: the last line has no newline"},
    };
    for (const cut& c : cuts) {
        INFO(c.what);
        write_file(e.path, std::string_view(whole).substr(0, c.length));
        CHECK_THROWS_AS(s.load(e), spool_corrupt);
        CHECK_THROWS_WITH(s.load(e), Catch::Contains(e.path.string() + c.message));
    }
    write_file(e.path, whole);
    CHECK_NOTHROW(s.load(e));
}

TEST_CASE("garbage, a wrong record or a trailer that disagrees is corrupt", "[unit][spool]") {
    const std::string whole = encode_sweep(nasty_sweep());
    const std::size_t line3 = after_line(whole, 2);
    const std::size_t line4 = after_line(whole, 3);
    const auto replace_line3 = [&](std::string_view with) {
        return whole.substr(0, line3) + std::string(with) + "\n" + whole.substr(line4);
    };
    const std::string trailer_line = whole.substr(after_line(whole, 20));

    struct bad {
        const char* what;
        std::string text;
        const char* message;
    };
    const bad bads[] = {
        {"garbage", replace_line3("garbage"), "x.sweep:3: not a line of JSON"},
        {"an empty line", replace_line3(""), "x.sweep:3: not a line of JSON"},
        {"two values", replace_line3(R"(["f","1",2] ["f","1",2])"), "x.sweep:3: not a line"},
        {"an object", replace_line3(R"({"s":1})"), "x.sweep:3: not a record"},
        {"an unknown tag", replace_line3(R"(["x","1"])"), "x.sweep:3: unknown record tag 'x'"},
        {"too few fields", replace_line3(R"(["f","1"])"), "x.sweep:3: a follower record has 2"},
        {"a wrong type", replace_line3(R"(["f","1","2"])"), "x.sweep:3: followers is not an"},
        {"an extra line", whole.substr(0, line3) + "[\"f\",\"1\",2]\n" + whole.substr(line3),
         "x.sweep:22: the trailer states 19 records in"},
        {"a missing line", whole.substr(0, line3) + whole.substr(line4),
         "x.sweep:20: the trailer states 19 records"},
        {"text after the trailer", whole + "[\"f\",\"1\",2]\n", "x.sweep:22: text after"},
        {"a second trailer", whole + trailer_line, "x.sweep:22: text after the trailer"},
        {"not a spool file", "{\"format\":\"other\"}\n", "x.sweep:1: not a spool file"},
        {"another version", "{\"format\":\"streamscope-sweep\",\"version\":2}\n",
         "x.sweep:1: format version 2"},
    };
    for (const bad& b : bads) {
        INFO(b.what);
        CHECK_THROWS_AS(decode(b.text, "x.sweep"), spool_corrupt);
        CHECK_THROWS_WITH(decode(b.text, "x.sweep"), Catch::Contains(b.message));
    }
    // A byte count that disagrees while the record count agrees: a line edited in place.
    std::string edited = whole;
    edited.replace(edited.find("English"), 7, "Englisch");
    CHECK_THROWS_WITH(decode(edited, "x.sweep"), Catch::Contains("x.sweep:21: the trailer"));
}

TEST_CASE("a temporary file left by a crash is reported and deleted when the spool opens",
          "[unit][spool]") {
    const scratch_directory dir;
    const fs::path leftover = dir.path() / "20261125T100000.000000Z-twitch.sweep.tmp";
    {
        spool s(dir.path(), 1 << 20);
        REQUIRE(s.put(sweep_at("2026-11-25T09:00:00Z")) == spool::put_result::stored);
    }

    // Captures the warning: the default logger is swapped for one into a ring buffer.
    auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(8);
    const auto previous = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("spool-test", ring));
    write_file(leftover, "{\"format\":\"streamscope-sweep\",\"vers");
    const spool reopened(dir.path(), 1 << 20);
    spdlog::set_default_logger(previous);

    CHECK_FALSE(fs::exists(leftover));
    CHECK(reopened.files() == 1); // the complete sweep stays
    const auto logged = ring->last_formatted();
    REQUIRE(logged.size() == 1);
    CHECK_THAT(logged[0], Catch::Contains("[warning]") && Catch::Contains(leftover.string()) &&
                              Catch::Contains("lost"));
}

TEST_CASE("the spool is created when missing", "[unit][spool]") {
    const scratch_directory dir;
    const spool s(dir.path() / "a" / "spool", 1 << 20);
    CHECK(fs::is_directory(dir.path() / "a" / "spool"));
    CHECK(s.files() == 0);
    CHECK(s.bytes() == 0);
    CHECK(s.list().empty());
}

TEST_CASE("quarantine keeps a corrupt file out of the list, remove deletes a replayed one",
          "[unit][spool]") {
    const scratch_directory dir;
    spool s(dir.path(), 1 << 20);
    REQUIRE(s.put(sweep_at("2026-11-25T10:00:00Z")) == spool::put_result::stored);
    REQUIRE(s.put(sweep_at("2026-11-25T10:05:00Z")) == spool::put_result::stored);
    REQUIRE(s.put(sweep_at("2026-11-25T10:10:00Z")) == spool::put_result::stored);
    auto entries = s.list();
    REQUIRE(entries.size() == 3);
    CHECK(s.files() == 3);
    CHECK(s.bytes() == entries[0].bytes + entries[1].bytes + entries[2].bytes);
    CHECK(entries[0].bytes == fs::file_size(entries[0].path));

    write_file(entries[1].path, "garbage\n");
    CHECK_THROWS_AS(s.load(entries[1]), spool_corrupt);
    s.quarantine(entries[1]);
    CHECK(fs::exists(dir.path() / "corrupt" / entries[1].path.filename()));
    CHECK(read_file(dir.path() / "corrupt" / entries[1].path.filename()) == "garbage\n");
    CHECK_FALSE(fs::exists(entries[1].path));

    s.remove(entries[0]);
    CHECK_FALSE(fs::exists(entries[0].path));

    const auto left = s.list();
    REQUIRE(left.size() == 1);
    CHECK(left[0].path == entries[2].path);
    CHECK(s.files() == 1);
    CHECK(s.bytes() == entries[2].bytes);
    CHECK(s.load(left[0]).started_at == at("2026-11-25T10:10:00Z"));
}

#include "collector/spool/sweep_codec.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <utility>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serializer.hpp>
#include <boost/json/value.hpp>

namespace streamscope::collector {
namespace json = boost::json;

namespace {

constexpr std::string_view format_name = "streamscope-sweep";
constexpr std::int64_t format_version = 1;

// One record's JSON is built in a buffer on the stack and serialized into one reused line:
// writing the 100,000th stream costs no more heap than the first. A stream's record fits in it;
// a larger one (hundreds of tags) spills over to the heap.
constexpr std::size_t record_arena_bytes = 8192;

json::string_view view(const std::string& s) {
    return {s.data(), s.size()};
}

json::value view(const std::optional<std::string>& s) {
    return s ? json::value(view(*s)) : json::value(nullptr);
}

std::int64_t microseconds(time::timestamp t) {
    return t.time_since_epoch().count();
}

// Serializes values into lines and hands each to the caller's `write`, counting the bytes for
// the trailer.
class line_writer {
public:
    explicit line_writer(const std::function<bool(std::string_view)>& write) : write_(write) {}

    bool put(const json::value& value) {
        line_.clear();
        serializer_.reset(&value);
        while (!serializer_.done()) {
            char chunk[4096];
            const json::string_view part = serializer_.read(chunk, sizeof chunk);
            line_.append(part.data(), part.size());
        }
        line_ += '\n';
        bytes_ += static_cast<std::int64_t>(line_.size());
        return write_(line_);
    }

    std::int64_t bytes() const { return bytes_; }

private:
    const std::function<bool(std::string_view)>& write_;
    json::serializer serializer_;
    std::string line_;
    std::int64_t bytes_ = 0;
};

json::object header(const model::sweep& sweep, json::storage_ptr storage) {
    json::object h(std::move(storage));
    h["format"] = format_name;
    h["version"] = format_version;
    h["source"] = static_cast<std::int64_t>(sweep.source);
    h["started_at"] = microseconds(sweep.started_at);
    h["finished_at"] = microseconds(sweep.finished_at);
    h["status"] = model::to_string(sweep.status);
    h["pages"] = sweep.pages;
    h["requests"] = sweep.requests;
    h["retries"] = sweep.retries;
    h["duplicates_dropped"] = sweep.duplicates_dropped;
    h["malformed_records"] = sweep.malformed_records;
    h["error"] = view(sweep.error);
    return h;
}

json::array stream_record(const model::stream_observation& s, json::storage_ptr storage) {
    json::array tags(storage);
    tags.reserve(s.tags.size());
    for (const std::string& tag : s.tags) {
        tags.emplace_back(view(tag));
    }
    json::array r(std::move(storage));
    r.reserve(14);
    r.emplace_back("s");
    r.emplace_back(view(s.platform_stream_id));
    r.emplace_back(view(s.platform_user_id));
    r.emplace_back(view(s.login));
    r.emplace_back(view(s.display_name));
    r.emplace_back(view(s.platform_game_id));
    r.emplace_back(view(s.game_name));
    r.emplace_back(view(s.title));
    r.emplace_back(std::move(tags));
    if (s.viewer_count) {
        r.emplace_back(*s.viewer_count);
    } else {
        r.emplace_back(nullptr);
    }
    r.emplace_back(microseconds(s.started_at));
    r.emplace_back(view(s.language));
    r.emplace_back(view(s.thumbnail_url));
    r.emplace_back(s.is_mature);
    return r;
}

json::array profile_record(const model::channel_profile& p, json::storage_ptr storage) {
    json::array r(std::move(storage));
    r.emplace_back("p");
    r.emplace_back(view(p.platform_user_id));
    r.emplace_back(view(p.description));
    r.emplace_back(view(p.profile_image_url));
    r.emplace_back(view(p.broadcaster_type));
    if (p.account_created_at) {
        r.emplace_back(microseconds(*p.account_created_at));
    } else {
        r.emplace_back(nullptr);
    }
    return r;
}

json::array follower_record(const model::follower_count& f, json::storage_ptr storage) {
    json::array r(std::move(storage));
    r.emplace_back("f");
    r.emplace_back(view(f.platform_user_id));
    r.emplace_back(f.followers);
    return r;
}

json::array game_record(const model::game_info& g, json::storage_ptr storage) {
    json::array r(std::move(storage));
    r.emplace_back("g");
    r.emplace_back(view(g.platform_game_id));
    r.emplace_back(view(g.name));
    r.emplace_back(view(g.box_art_url));
    r.emplace_back(view(g.igdb_id));
    return r;
}

json::array ended_record(const model::ended_stream& e, json::storage_ptr storage) {
    json::array r(std::move(storage));
    r.emplace_back("e");
    r.emplace_back(view(e.platform_stream_id));
    r.emplace_back(microseconds(e.last_seen_at));
    return r;
}

// Writes one record line per element of `items`, counting them for the trailer.
template <typename Items, typename Encode>
bool put_records(line_writer& out, const Items& items, Encode encode, std::int64_t& records) {
    for (const auto& item : items) {
        unsigned char arena_buffer[record_arena_bytes];
        json::monotonic_resource arena(arena_buffer, sizeof arena_buffer);
        if (!out.put(encode(item, json::storage_ptr(&arena)))) {
            return false;
        }
        ++records;
    }
    return true;
}

// --- decoding ---

// The line being decoded, to name it when it is wrong.
struct location {
    std::string_view file;
    std::uint64_t line = 0;

    [[noreturn]] void fail(std::string_view why) const {
        throw spool_corrupt(std::string(file) + ":" + std::to_string(line) + ": " +
                            std::string(why));
    }
};

[[noreturn]] void wrong(const location& where, std::string_view field, std::string_view expected) {
    where.fail(std::string(field) + " is not " + std::string(expected));
}

std::string text(const json::value& v, std::string_view field, const location& where) {
    const json::string* s = v.if_string();
    if (s == nullptr) {
        wrong(where, field, "a string");
    }
    return std::string(s->data(), s->size());
}

std::optional<std::string> optional_text(const json::value& v, std::string_view field,
                                         const location& where) {
    if (v.is_null()) {
        return std::nullopt;
    }
    return text(v, field, where);
}

std::int64_t integer(const json::value& v, std::string_view field, const location& where) {
    if (v.is_int64()) {
        return v.get_int64();
    }
    if (v.is_uint64() &&
        v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return static_cast<std::int64_t>(v.get_uint64());
    }
    wrong(where, field, "an integer");
}

std::int32_t int32(const json::value& v, std::string_view field, const location& where) {
    const std::int64_t n = integer(v, field, where);
    if (n < std::numeric_limits<std::int32_t>::min() ||
        n > std::numeric_limits<std::int32_t>::max()) {
        wrong(where, field, "a 32-bit integer");
    }
    return static_cast<std::int32_t>(n);
}

time::timestamp timestamp(const json::value& v, std::string_view field, const location& where) {
    return time::timestamp{std::chrono::microseconds{integer(v, field, where)}};
}

bool flag(const json::value& v, std::string_view field, const location& where) {
    const bool* b = v.if_bool();
    if (b == nullptr) {
        wrong(where, field, "true or false");
    }
    return *b;
}

std::vector<std::string> texts(const json::value& v, std::string_view field,
                               const location& where) {
    const json::array* a = v.if_array();
    if (a == nullptr) {
        wrong(where, field, "an array of strings");
    }
    std::vector<std::string> out;
    out.reserve(a->size());
    for (const json::value& item : *a) {
        out.push_back(text(item, field, where));
    }
    return out;
}

const json::value& member(const json::object& o, std::string_view name, const location& where) {
    const json::value* v = o.if_contains(name);
    if (v == nullptr) {
        where.fail("the header has no '" + std::string(name) + "'");
    }
    return *v;
}

void expect_fields(const json::array& r, std::size_t size, std::string_view kind,
                   const location& where) {
    if (r.size() != size) {
        where.fail(std::string(kind) + " record has " + std::to_string(r.size()) +
                   " fields instead of " + std::to_string(size));
    }
}

model::platform platform(std::int64_t number, const location& where) {
    if (const auto known = model::platform_from_id(number)) {
        return *known;
    }
    where.fail("source " + std::to_string(number) + " is not a platform this collector knows");
}

void read_header(const json::value& v, model::sweep& sweep, const location& where) {
    const json::object* h = v.if_object();
    if (h == nullptr || text(member(*h, "format", where), "format", where) != format_name) {
        where.fail("not a spool file: the first line is not a streamscope-sweep header");
    }
    if (const std::int64_t version = integer(member(*h, "version", where), "version", where);
        version != format_version) {
        where.fail("format version " + std::to_string(version) +
                   " is not one this collector reads");
    }
    sweep.source = platform(integer(member(*h, "source", where), "source", where), where);
    sweep.started_at = timestamp(member(*h, "started_at", where), "started_at", where);
    sweep.finished_at = timestamp(member(*h, "finished_at", where), "finished_at", where);
    const std::string status = text(member(*h, "status", where), "status", where);
    if (auto parsed = parse_sweep_status(status)) {
        sweep.status = *parsed;
    } else {
        where.fail("status '" + status + "' is not a sweep status");
    }
    sweep.pages = int32(member(*h, "pages", where), "pages", where);
    sweep.requests = int32(member(*h, "requests", where), "requests", where);
    sweep.retries = int32(member(*h, "retries", where), "retries", where);
    sweep.duplicates_dropped =
        int32(member(*h, "duplicates_dropped", where), "duplicates_dropped", where);
    // Files spooled before sweeps counted malformed records have no such field.
    if (const json::value* malformed = h->if_contains("malformed_records")) {
        sweep.malformed_records = int32(*malformed, "malformed_records", where);
    }
    sweep.error = text(member(*h, "error", where), "error", where);
}

model::stream_observation read_stream(const json::array& r, const location& where) {
    expect_fields(r, 14, "a stream", where);
    model::stream_observation s;
    s.platform_stream_id = text(r[1], "platform_stream_id", where);
    s.platform_user_id = text(r[2], "platform_user_id", where);
    s.login = text(r[3], "login", where);
    s.display_name = text(r[4], "display_name", where);
    s.platform_game_id = text(r[5], "platform_game_id", where);
    s.game_name = text(r[6], "game_name", where);
    s.title = text(r[7], "title", where);
    s.tags = texts(r[8], "tags", where);
    if (!r[9].is_null()) {
        s.viewer_count = int32(r[9], "viewer_count", where);
    }
    s.started_at = timestamp(r[10], "started_at", where);
    s.language = text(r[11], "language", where);
    s.thumbnail_url = text(r[12], "thumbnail_url", where);
    s.is_mature = flag(r[13], "is_mature", where);
    return s;
}

model::channel_profile read_profile(const json::array& r, const location& where) {
    expect_fields(r, 6, "a profile", where);
    model::channel_profile p;
    p.platform_user_id = text(r[1], "platform_user_id", where);
    p.description = optional_text(r[2], "description", where);
    p.profile_image_url = text(r[3], "profile_image_url", where);
    p.broadcaster_type = optional_text(r[4], "broadcaster_type", where);
    if (!r[5].is_null()) {
        p.account_created_at = timestamp(r[5], "account_created_at", where);
    }
    return p;
}

model::follower_count read_followers(const json::array& r, const location& where) {
    expect_fields(r, 3, "a follower", where);
    return {text(r[1], "platform_user_id", where), integer(r[2], "followers", where)};
}

model::game_info read_game(const json::array& r, const location& where) {
    expect_fields(r, 5, "a game", where);
    return {text(r[1], "platform_game_id", where), text(r[2], "name", where),
            text(r[3], "box_art_url", where), text(r[4], "igdb_id", where)};
}

model::ended_stream read_ended(const json::array& r, const location& where) {
    expect_fields(r, 3, "an ended stream", where);
    return {text(r[1], "platform_stream_id", where), timestamp(r[2], "last_seen_at", where)};
}

} // namespace

std::optional<model::sweep_status> parse_sweep_status(std::string_view text) {
    for (const model::sweep_status s : {model::sweep_status::complete, model::sweep_status::partial,
                                        model::sweep_status::failed}) {
        if (model::to_string(s) == text) {
            return s;
        }
    }
    return std::nullopt;
}

bool encode_sweep(const model::sweep& sweep, const std::function<bool(std::string_view)>& write) {
    line_writer out(write);
    {
        unsigned char arena_buffer[record_arena_bytes];
        json::monotonic_resource arena(arena_buffer, sizeof arena_buffer);
        if (!out.put(header(sweep, json::storage_ptr(&arena)))) {
            return false;
        }
    }
    std::int64_t records = 0;
    if (!put_records(out, sweep.streams, stream_record, records) ||
        !put_records(out, sweep.profiles, profile_record, records) ||
        !put_records(out, sweep.followers, follower_record, records) ||
        !put_records(out, sweep.games, game_record, records) ||
        !put_records(out, sweep.ended, ended_record, records)) {
        return false;
    }
    return out.put(json::array{"end", records, out.bytes()});
}

std::string encode_sweep(const model::sweep& sweep) {
    std::string out;
    encode_sweep(sweep, [&out](std::string_view line) {
        out.append(line);
        return true;
    });
    return out;
}

model::sweep decode_sweep(std::istream& in, std::string_view name) {
    // Strings are written byte for byte, even ones that are not valid UTF-8: reading must not
    // turn such a string into a lost sweep.
    json::parse_options options;
    options.allow_invalid_utf8 = true;
    json::parser parser(json::storage_ptr(), options);

    model::sweep sweep;
    location where{name, 0};
    std::int64_t records = 0;
    std::int64_t bytes = 0;
    std::string line;
    while (std::getline(in, line)) {
        ++where.line;
        if (in.eof()) {
            where.fail("the last line has no newline: the write was cut short");
        }
        unsigned char arena_buffer[record_arena_bytes];
        json::monotonic_resource arena(arena_buffer, sizeof arena_buffer);
        parser.reset(json::storage_ptr(&arena));
        json::error_code ec;
        parser.write(line.data(), line.size(), ec);
        if (ec) {
            where.fail("not a line of JSON (" + ec.message() + ")");
        }
        const json::value value = parser.release();

        if (where.line == 1) {
            read_header(value, sweep, where);
        } else {
            const json::array* r = value.if_array();
            if (r == nullptr || r->empty() || !r->front().is_string()) {
                where.fail("not a record: a record is an array tagged by a string");
            }
            const json::string& tag = r->front().get_string();
            if (tag == "s") {
                sweep.streams.push_back(read_stream(*r, where));
            } else if (tag == "p") {
                sweep.profiles.push_back(read_profile(*r, where));
            } else if (tag == "f") {
                sweep.followers.push_back(read_followers(*r, where));
            } else if (tag == "g") {
                sweep.games.push_back(read_game(*r, where));
            } else if (tag == "e") {
                sweep.ended.push_back(read_ended(*r, where));
            } else if (tag == "end") {
                expect_fields(*r, 3, "the trailer", where);
                const std::int64_t stated_records = integer((*r)[1], "the record count", where);
                const std::int64_t stated_bytes = integer((*r)[2], "the byte count", where);
                if (stated_records != records || stated_bytes != bytes) {
                    where.fail("the trailer states " + std::to_string(stated_records) +
                               " records in " + std::to_string(stated_bytes) +
                               " bytes, the file has " + std::to_string(records) + " in " +
                               std::to_string(bytes));
                }
                if (in.peek() != std::istream::traits_type::eof()) {
                    ++where.line;
                    where.fail("text after the trailer");
                }
                return sweep;
            } else {
                where.fail("unknown record tag '" + std::string(tag) + "'");
            }
            ++records;
        }
        bytes += static_cast<std::int64_t>(line.size()) + 1;
    }
    if (in.bad()) {
        throw std::runtime_error("reading " + std::string(name) + " failed");
    }
    ++where.line;
    where.fail(where.line == 1 ? "the file is empty"
                               : "the file ends without its trailer: the write was cut short");
}

} // namespace streamscope::collector

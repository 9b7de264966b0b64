// GET /export/snapshots?window=|from=&to=&platform=&channel=&game= — the raw snapshots of a
// time window as CSV, oldest first, for exports of millions of rows.
//
// The answer is streamed: it is read and sent a chunk of at most 10,000 rows at a time, each
// chunk one query on a pooled connection, so that memory stays the same whatever the window and
// a slow client holds no database connection while it reads. Chunks follow each other by keyset
// (collected_at, stream id). Without a channel, a query reads a slice of a few sweeps (a
// block-range scan of one time slice), as a sort across a long window would cost more the
// further the export got; with a channel, the channel's broadcasts are looked up by stream id.

#include <algorithm>
#include <limits>
#include <memory>

#include <pqxx/pqxx>

#include "api/format/csv.hpp"
#include "api/handlers/handlers.hpp"
#include "api/params/platform.hpp"
#include "api/params/query_params.hpp"
#include "api/params/time_window.hpp"
#include "common/http/response.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::api {
namespace {

using boost::beast::http::field;
using boost::beast::http::status;

constexpr long long rows_per_chunk = 10'000;

const std::string header_row = "collected_at,platform,channel_id,username,display_name,"
                               "stream_id,started_at,viewer_count,game_id,game_name,title,"
                               "language\r\n";

// $1/$2: from the keyset position (µs, stream id) on; $3: before this time (µs); $4: platform
// id or 0; $5: game id or name, or ''; $6: at most this many rows. The title and game are the
// broadcast's state at the snapshot's time.
constexpr const char* select_rows = R"(
SELECT (extract(epoch FROM s.collected_at) * 1000000)::bigint, s.stream_id, p.name,
       c.platform_user_id, c.login, c.display_name, st.platform_stream_id,
       (extract(epoch FROM st.started_at) * 1000000)::bigint, s.viewer_count,
       COALESCE(g.platform_game_id, ''), COALESCE(g.name, ''), x.title, st.language
  FROM snapshots s
  JOIN streams st ON st.id = s.stream_id
  JOIN channels c ON c.id = st.channel_id
  JOIN platforms p ON p.id = st.platform_id
  CROSS JOIN LATERAL (
      SELECT st.title, st.game_id WHERE s.collected_at >= st.state_since
      UNION ALL
      (SELECT ss.title, ss.game_id FROM stream_states ss
        WHERE s.collected_at < st.state_since AND ss.stream_id = st.id
          AND ss.since <= s.collected_at
        ORDER BY ss.since DESC LIMIT 1)) x
  LEFT JOIN games g ON g.id = x.game_id
 WHERE s.collected_at >= timestamptz 'epoch' + $1 * interval '1 microsecond'
   AND s.collected_at < timestamptz 'epoch' + $3 * interval '1 microsecond'
   AND (s.collected_at > timestamptz 'epoch' + $1 * interval '1 microsecond' OR s.stream_id > $2)
   AND ($4 = 0 OR st.platform_id = $4)
   AND ($5 = '' OR g.platform_game_id = $5 OR lower(g.name) = lower($5)))";

const std::string all_rows_sql =
    std::string(select_rows) + "\n ORDER BY s.collected_at, s.stream_id LIMIT $6";

// $7: the channel's stream ids. The bucket condition lets the snapshots' bucket index find them.
const std::string channel_rows_sql = std::string(select_rows) + R"(
   AND s.stream_id / 16 = ANY(SELECT id / 16 FROM unnest($7::int[]) AS id)
   AND s.stream_id = ANY($7::int[])
 ORDER BY s.collected_at, s.stream_id LIMIT $6)";

// The end (µs, exclusive) of the next slice from $1 (µs) on, before $2: as many sweep moments
// of the platform(s) $3 as hold about $4 rows (at least one); NULL when no sweep is left.
constexpr const char* next_slice_sql = R"(
SELECT (extract(epoch FROM max(started_at)) * 1000000)::bigint + 1
  FROM (SELECT started_at, sum(streams) OVER (ORDER BY started_at) - streams AS before
          FROM (SELECT started_at, sum(streams_seen) AS streams FROM sweeps
                 WHERE started_at >= timestamptz 'epoch' + $1 * interval '1 microsecond'
                   AND started_at < timestamptz 'epoch' + $2 * interval '1 microsecond'
                   AND ($3 = 0 OR platform_id = $3)
                 GROUP BY started_at ORDER BY started_at LIMIT 1000) moments) counted
 WHERE before < $4)";

// Every broadcast of the channels that carry the login (logins are reused after renames).
constexpr const char* channel_streams_sql = R"(
SELECT COALESCE(array_agg(st.id), '{}') FROM streams st JOIN channels c ON c.id = st.channel_id
 WHERE (c.login = $1 OR c.login = lower($1)) AND ($2 = 0 OR c.platform_id = $2))";

// A field's text as libpqxx holds it, uncopied.
std::string_view text(const pqxx::field& f) {
    return {f.c_str(), f.size()};
}

struct export_request {
    std::int64_t to_us = 0;
    int platform_id = 0; // 0: all
    std::string game;
    std::optional<std::string> channel_streams; // a PostgreSQL int[] literal
};

// A key's daily row quota, as its export goes.
class export_quota {
public:
    // No quota: without a key (AUTH_MODE=off) or with API_EXPORT_ROWS_PER_DAY=0 and none of the
    // key's own.
    export_quota() = default;
    export_quota(key_store& keys, std::int64_t key_id, std::int64_t rows_per_day)
        : keys_(&keys), key_id_(key_id), rows_per_day_(rows_per_day) {}

    bool limited() const { return keys_ != nullptr; }
    std::int64_t rows_per_day() const { return rows_per_day_; }
    // The rows the key may still export today (across its exports and, as far as this server
    // knows, across servers); at most `cap`.
    long long left(long long cap) const {
        if (!limited()) {
            return cap;
        }
        return std::clamp<long long>(rows_per_day_ - keys_->rows_exported_today(key_id_), 0, cap);
    }
    void count(long long rows) const {
        if (limited()) {
            keys_->count_exported_rows(key_id_, rows);
        }
    }

private:
    key_store* keys_ = nullptr;
    std::int64_t key_id_ = 0;
    std::int64_t rows_per_day_ = 0;
};

std::chrono::seconds until_utc_midnight() {
    const auto now = std::chrono::system_clock::now();
    const auto midnight = std::chrono::floor<std::chrono::days>(now) + std::chrono::days(1);
    return std::chrono::ceil<std::chrono::seconds>(midnight - now);
}

// Where the export stands.
class export_cursor {
public:
    export_cursor(export_request what, std::int64_t from_us)
        : what_(std::move(what)), at_us_(from_us) {}

    bool done() const { return done_; }
    // The rows of the last chunk.
    long long rows() const { return rows_; }

    // Narrows the export to the broadcasts of the channels that carry `login`; false when
    // there are none.
    bool select_channel(pqxx::connection& c, const std::string& login) {
        pqxx::read_transaction tx{c};
        const auto ids = tx.exec_params1(channel_streams_sql, login, what_.platform_id);
        what_.channel_streams = ids[0].as<std::string>();
        return *what_.channel_streams != "{}";
    }

    // The next chunk of at most `limit` CSV lines (possibly none when filters leave a sweep
    // empty).
    std::string next(pqxx::connection& c, long long limit) {
        pqxx::read_transaction tx{c};
        // An export is a long background read: it leaves the other cores to the API's answers.
        tx.exec("SET LOCAL max_parallel_workers_per_gather = 0");
        if (slice_end_us_ <= at_us_) {
            if (!start_slice(tx)) {
                done_ = true;
                return {};
            }
        }
        const pqxx::result rows =
            what_.channel_streams
                ? tx.exec_params(channel_rows_sql, at_us_, after_stream_, slice_end_us_,
                                 what_.platform_id, what_.game, limit, *what_.channel_streams)
                : tx.exec_params(all_rows_sql, at_us_, after_stream_, slice_end_us_,
                                 what_.platform_id, what_.game, limit);
        std::string out;
        out.reserve(static_cast<std::size_t>(rows.size()) * 160);
        for (const auto& row : rows) {
            append_line(row, out);
        }
        rows_ = static_cast<long long>(rows.size());
        if (rows_ < limit) {
            at_us_ = slice_end_us_; // the slice is exhausted
            after_stream_ = 0;
        } else {
            const auto last = rows[rows.size() - 1];
            at_us_ = last[0].as<std::int64_t>();
            after_stream_ = last[1].as<std::int64_t>();
        }
        if (at_us_ >= what_.to_us) {
            done_ = true;
        }
        return out;
    }

private:
    // Without a channel, a slice is a run of sweep moments of about one chunk's rows; with one,
    // the whole window.
    bool start_slice(pqxx::read_transaction& tx) {
        if (what_.channel_streams) {
            slice_end_us_ = what_.to_us;
            return at_us_ < what_.to_us;
        }
        const auto end =
            tx.exec_params1(next_slice_sql, at_us_, what_.to_us, what_.platform_id, rows_per_chunk);
        if (end[0].is_null()) {
            return false;
        }
        slice_end_us_ = end[0].as<std::int64_t>();
        return true;
    }

    static void append_line(const pqxx::row& row, std::string& out) {
        const auto time = [](const pqxx::field& f) {
            return time::format_rfc3339(
                time::timestamp(std::chrono::microseconds(f.as<std::int64_t>())));
        };
        out += time(row[0]);
        for (int i : {2, 3, 4, 5, 6}) {
            out += ',';
            out += csv_cell(text(row[i]));
        }
        out += ',';
        out += time(row[7]);
        out += ',';
        if (!row[8].is_null()) {
            out += text(row[8]);
        }
        for (int i : {9, 10, 11, 12}) {
            out += ',';
            out += csv_cell(text(row[i]));
        }
        out += "\r\n";
    }

    export_request what_;
    std::int64_t at_us_;
    std::int64_t after_stream_ = 0; // stream ids start at 1
    std::int64_t slice_end_us_ = 0;
    long long rows_ = 0;
    bool done_ = false;
};

std::int64_t micros(time::timestamp t) {
    return t.time_since_epoch().count();
}

} // namespace

http::handler export_snapshots_route(app& shared) {
    auto slots = std::make_shared<running_slots>(shared.exports.max_running);
    return [&shared, slots](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query,
                            {"window", "from", "to", "platform", "channel", "game", "format"});
        static constexpr std::array<std::string_view, 1> csv_only{"csv"};
        params.one_of("format", csv_only);
        const time_window window =
            parse_window(params,
                         time::timestamp(std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())),
                         "24h");
        export_request what;
        what.to_us = micros(window.to);
        if (const auto platform = params.one_of("platform", platform_names)) {
            what.platform_id = platform_id(*platform);
        }
        what.game = params.text("game").value_or("");
        const std::optional<std::string> channel = params.text("channel");
        if (const auto& bad = params.error()) {
            co_return invalid_parameter(ctx.req, *bad);
        }
        export_quota quota;
        if (ctx.key_id != 0) {
            const auto key = shared.keys.by_id(ctx.key_id);
            const std::int64_t per_day = key && key->export_rows_per_day != 0
                                             ? key->export_rows_per_day
                                             : shared.exports.rows_per_day;
            if (per_day != 0) {
                quota = export_quota(shared.keys, ctx.key_id, per_day);
            }
        }
        if (quota.limited() && quota.left(1) == 0) {
            http::response used_up = http::error_response(
                ctx.req, status::too_many_requests, "export_quota_exceeded",
                "this API key has exported its " + std::to_string(quota.rows_per_day()) +
                    " rows for today (UTC); the quota is renewed at midnight UTC");
            used_up.set(field::retry_after, std::to_string(until_utc_midnight().count()));
            co_return used_up;
        }
        const running_slots::outcome taken =
            slots->take(key_slot_owner(ctx.key_id), shared.exports.per_key);
        if (taken.why == running_slots::refusal::client_busy) {
            http::response busy = http::error_response(
                ctx.req, status::too_many_requests, "too_many_exports",
                "this API key has " + std::to_string(shared.exports.per_key) +
                    " exports running, the most it may; start another when one has ended");
            busy.set(field::retry_after, "60");
            co_return busy;
        }
        if (!taken.held) {
            http::response busy =
                http::error_response(ctx.req, status::service_unavailable, "too_many_exports",
                                     std::to_string(shared.exports.max_running) +
                                         " exports are running; try again in a minute");
            busy.set(field::retry_after, "60");
            co_return busy;
        }
        // The first chunk is read before answering, so that an unreachable database or an
        // unknown channel is still a proper error answer rather than a cut-off download.
        auto cursor = std::make_shared<export_cursor>(std::move(what), micros(window.from));
        const long long quota_left = quota.left(std::numeric_limits<long long>::max());
        const std::optional<std::string> first_rows =
            co_await shared.db.run([&](pqxx::connection& c) -> std::optional<std::string> {
                if (channel && !cursor->select_channel(c, *channel)) {
                    return std::nullopt;
                }
                return cursor->next(c, std::min(rows_per_chunk, quota_left));
            });
        if (!first_rows) {
            co_return http::error_response(ctx.req, status::not_found, "not_found",
                                           "no channel with this login has broadcast", "channel");
        }
        quota.count(cursor->rows());
        // A key's export stops where its quota ends: cut off, so that the client cannot take
        // the rows it got for the whole window.
        ctx.streamed_body =
            [&shared, slot = taken.held, cursor, quota, first = header_row + *first_rows,
             started = false]() mutable -> boost::asio::awaitable<std::optional<std::string>> {
            if (!started) {
                started = true;
                co_return std::move(first);
            }
            if (cursor->done()) {
                co_return std::nullopt;
            }
            const long long limit = quota.left(rows_per_chunk);
            if (limit == 0) {
                throw http::answer_cut_off("the key's export quota of " +
                                           std::to_string(quota.rows_per_day()) +
                                           " rows a day is used up");
            }
            std::string rows =
                co_await shared.db.run([&](pqxx::connection& c) { return cursor->next(c, limit); });
            quota.count(cursor->rows());
            co_return rows;
        };
        http::response res = csv_response(ctx.req, std::string(), "snapshots.csv");
        if (quota.limited()) {
            res.set("Export-Quota-Limit", std::to_string(quota.rows_per_day()));
            res.set("Export-Quota-Remaining", std::to_string(quota_left - cursor->rows()));
        }
        co_return res;
    };
}

} // namespace streamscope::api

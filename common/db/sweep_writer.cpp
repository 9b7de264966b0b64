#include "common/db/sweep_writer.hpp"

#include <deque>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <pqxx/pqxx>

#include "common/db/copy_rows.hpp"
#include "common/db/partitions.hpp"
#include "common/db/stream_state_key.hpp"

namespace streamscope::db {
namespace {

// (platform_id, started_at) is unique: a sweep already stored inserts nothing and returns no
// row, which makes writing idempotent, also for two writers racing on one sweep.
constexpr std::string_view insert_sweep_sql = R"(
INSERT INTO sweeps (platform_id, started_at, finished_at, status, pages, requests, retries,
                    streams_seen, duplicates_dropped, malformed_records, error)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, nullif($11, ''))
ON CONFLICT (platform_id, started_at) DO NOTHING
RETURNING id)";

// A temporary table, dropped at commit, that a sweep's rows are COPYed into before set-based
// statements merge them: a few passes instead of one statement per row.
struct staging_table {
    const char* name;
    std::string_view columns; // the column definitions of its CREATE TEMP TABLE
};

// Every stream of the sweep in a few bytes: its position in the sweep, its id, its viewers
// and its state key.
constexpr staging_table sweep_keys{"sweep_keys", R"(
    ord                integer NOT NULL,
    platform_stream_id text NOT NULL,
    viewer_count       integer,
    state_key          bigint NOT NULL)"};

// The snapshots of the broadcasts already stored, in stream_id order (the snapshots index
// relies on it), and the positions of the streams that are new or whose state key changed:
// only those are sent in full. In a steady sweep that is a few percent of them.
constexpr std::string_view write_known_sql = R"(
WITH known AS MATERIALIZED (
    SELECT k.ord, k.viewer_count, k.state_key, e.id AS stream_id, e.state_key AS old_key
      FROM sweep_keys k
      LEFT JOIN streams e ON e.platform_id = $1 AND e.platform_stream_id = k.platform_stream_id
),
snapshots_written AS (
    INSERT INTO snapshots (collected_at, stream_id, viewer_count)
    SELECT $2, stream_id, viewer_count FROM known WHERE stream_id IS NOT NULL ORDER BY stream_id
)
SELECT ord, stream_id IS NULL FROM known WHERE old_key IS DISTINCT FROM state_key)";

// The streams sent in full.
constexpr staging_table sweep_streams{"sweep_streams", R"(
    platform_stream_id text NOT NULL,
    platform_user_id   text NOT NULL,
    platform_game_id   text NOT NULL,
    title              text NOT NULL,
    tags               text[] NOT NULL,
    viewer_count       integer,
    started_at         timestamptz NOT NULL,
    language           text NOT NULL,
    thumbnail_url      text NOT NULL,
    is_mature          boolean NOT NULL,
    state_key          bigint NOT NULL)"};

// The games of the streams sent in full, one row each (first_per_game); '' stands for no game.
constexpr staging_table sweep_seen_games{"sweep_seen_games", R"(
    platform_game_id text NOT NULL,
    name             text NOT NULL)"};

// Games seen in the streams: new ones, and renamed ones. The anti-join keeps unchanged rows
// out of the INSERT, so they are neither locked nor rewritten.
constexpr std::string_view upsert_seen_games_sql = R"(
INSERT INTO games AS g (platform_id, platform_game_id, name)
SELECT $1, s.platform_game_id, s.name
  FROM sweep_seen_games s
  LEFT JOIN games e ON e.platform_id = $1 AND e.platform_game_id = s.platform_game_id
 WHERE s.platform_game_id <> '' AND (e.id IS NULL OR e.name IS DISTINCT FROM s.name)
ON CONFLICT (platform_id, platform_game_id)
DO UPDATE SET name = excluded.name, updated_at = now())";

// The channels of the streams sent in full, one row each, with the names of the channel's
// newest broadcast (newest_per_channel).
constexpr staging_table sweep_channels{"sweep_channels", R"(
    platform_user_id text NOT NULL,
    login            text NOT NULL,
    display_name     text NOT NULL)"};

// Channels seen in the streams: new ones, and renamed ones.
constexpr std::string_view upsert_seen_channels_sql = R"(
WITH changed AS (
    INSERT INTO channels AS c (platform_id, platform_user_id, login, display_name,
                               first_seen_at, last_seen_at)
    SELECT $1, s.platform_user_id, s.login, s.display_name, $2, $2
      FROM sweep_channels s
      LEFT JOIN channels e ON e.platform_id = $1 AND e.platform_user_id = s.platform_user_id
     WHERE e.id IS NULL OR (e.login, e.display_name) IS DISTINCT FROM (s.login, s.display_name)
    ON CONFLICT (platform_id, platform_user_id)
    DO UPDATE SET login = excluded.login, display_name = excluded.display_name, updated_at = now()
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) FROM changed)";

// The streams sent in full, in one statement, so that the join resolving them to internal ids
// runs once. New broadcasts are inserted with their state; a known broadcast whose state key
// changed is updated, and when its title, game, tags or thumbnail changed its old state moves
// to stream_states (unless this sweep is older than that state, as when an old spooled sweep
// arrives late); new broadcasts get their first snapshot (known ones got theirs already).
//
// A new broadcast's id is drawn in `resolved`, so that its snapshot comes from the same row:
// joining the inserted rows back to `resolved` would join two CTE scans, which have no index,
// and a planner that expects one row on a side (the statistics of a database that holds only
// another platform's channels) runs that join as a nested loop, quadratic in the new streams.
constexpr std::string_view write_streams_sql = R"(
WITH resolved AS MATERIALIZED (
    SELECT s.platform_stream_id, s.started_at, s.language, s.is_mature, s.title, s.tags,
           s.thumbnail_url, s.viewer_count, s.state_key, c.id AS channel_id, g.id AS game_id,
           e.id AS stream_id, e.state_since AS old_since, e.title AS old_title,
           e.game_id AS old_game_id, e.tags AS old_tags, e.thumbnail_url AS old_thumbnail_url,
           CASE WHEN e.id IS NULL THEN nextval('streams_id_seq')::integer END AS new_id
      FROM sweep_streams s
      JOIN channels c ON c.platform_id = $1 AND c.platform_user_id = s.platform_user_id
      LEFT JOIN games g ON g.platform_id = $1 AND g.platform_game_id = s.platform_game_id
      LEFT JOIN streams e ON e.platform_id = $1 AND e.platform_stream_id = s.platform_stream_id
),
new_streams AS (
    INSERT INTO streams (id, platform_id, platform_stream_id, channel_id, started_at, language,
                         is_mature, title, game_id, tags, thumbnail_url, state_key, state_since,
                         first_seen_at)
    OVERRIDING SYSTEM VALUE
    SELECT new_id, $1, platform_stream_id, channel_id, started_at, language, is_mature, title,
           game_id, tags, thumbnail_url, state_key, $2, $2
      FROM resolved
     WHERE new_id IS NOT NULL
    RETURNING 1
),
changed AS (
    SELECT *, (title, game_id, tags, thumbnail_url)
              IS DISTINCT FROM (old_title, old_game_id, old_tags, old_thumbnail_url)
              AS state_changed
      FROM resolved
     WHERE stream_id IS NOT NULL AND old_since < $2
),
superseded AS (
    INSERT INTO stream_states (stream_id, since, title, game_id, tags, thumbnail_url)
    SELECT stream_id, old_since, old_title, old_game_id, old_tags, old_thumbnail_url
      FROM changed
     WHERE state_changed
),
updated AS (
    UPDATE streams st
       SET title = r.title, game_id = r.game_id, tags = r.tags, thumbnail_url = r.thumbnail_url,
           language = r.language, state_key = r.state_key,
           state_since = CASE WHEN r.state_changed THEN $2 ELSE st.state_since END
      FROM changed r
     WHERE st.id = r.stream_id
),
snapshots_written AS (
    INSERT INTO snapshots (collected_at, stream_id, viewer_count)
    SELECT $2, new_id, viewer_count FROM resolved WHERE new_id IS NOT NULL ORDER BY new_id
    RETURNING 1
)
SELECT (SELECT count(*) FROM new_streams),
       (SELECT count(*) FROM changed WHERE state_changed),
       (SELECT count(*) FROM snapshots_written))";

constexpr staging_table sweep_profiles{"sweep_profiles", R"(
    platform_user_id   text NOT NULL,
    description        text,
    profile_image_url  text NOT NULL,
    broadcaster_type   text,
    account_created_at timestamptz)"};

constexpr std::string_view update_profiles_sql = R"(
UPDATE channels c
   SET description = COALESCE(p.description, c.description),
       profile_image_url = p.profile_image_url,
       broadcaster_type = COALESCE(p.broadcaster_type, c.broadcaster_type),
       account_created_at = p.account_created_at,
       profile_refreshed_at = $2,
       updated_at = CASE WHEN (c.description, c.profile_image_url, c.broadcaster_type,
                               c.account_created_at)
                              IS DISTINCT FROM (COALESCE(p.description, c.description),
                                                p.profile_image_url,
                                                COALESCE(p.broadcaster_type, c.broadcaster_type),
                                                p.account_created_at)
                         THEN now() ELSE c.updated_at END
  FROM sweep_profiles p
 WHERE c.platform_id = $1 AND c.platform_user_id = p.platform_user_id)";

constexpr staging_table sweep_followers{"sweep_followers", R"(
    platform_user_id text NOT NULL,
    followers        bigint NOT NULL)"};

constexpr std::string_view update_followers_sql = R"(
UPDATE channels c SET follower_count = f.followers, updated_at = now()
  FROM sweep_followers f
 WHERE c.platform_id = $1 AND c.platform_user_id = f.platform_user_id
   AND c.follower_count IS DISTINCT FROM f.followers)";

constexpr staging_table sweep_games{"sweep_games", R"(
    platform_game_id text NOT NULL,
    name             text NOT NULL,
    box_art_url      text NOT NULL,
    igdb_id          text NOT NULL)"};

constexpr std::string_view upsert_games_sql = R"(
INSERT INTO games AS g (platform_id, platform_game_id, name, box_art_url, igdb_id)
SELECT DISTINCT ON (platform_game_id) $1, platform_game_id, name, box_art_url, nullif(igdb_id, '')
  FROM sweep_games
 ORDER BY platform_game_id
ON CONFLICT (platform_id, platform_game_id)
DO UPDATE SET name = excluded.name, box_art_url = excluded.box_art_url,
              igdb_id = excluded.igdb_id, updated_at = now()
        WHERE (g.name, g.box_art_url, g.igdb_id)
              IS DISTINCT FROM (excluded.name, excluded.box_art_url, excluded.igdb_id))";

constexpr staging_table sweep_ended{"sweep_ended", R"(
    platform_stream_id text NOT NULL,
    last_seen_at       timestamptz NOT NULL)"};

constexpr std::string_view close_ended_sql = R"(
WITH closed AS (
    UPDATE streams st SET ended_at = e.last_seen_at
      FROM sweep_ended e
     WHERE st.platform_id = $1 AND st.platform_stream_id = e.platform_stream_id
       AND st.ended_at IS NULL
    RETURNING st.channel_id, st.ended_at
)
UPDATE channels c SET last_seen_at = x.last_seen_at
  FROM (SELECT channel_id, max(ended_at) AS last_seen_at FROM closed GROUP BY channel_id) x
 WHERE c.id = x.channel_id AND c.last_seen_at < x.last_seen_at)";

// The sweep's events (collector/events/), in the order given. The lock, held to the commit,
// makes events commit in id order across every writer (sql/migrations/0018_events.sql).
constexpr staging_table sweep_events{"sweep_events", R"(
    ord       integer NOT NULL,
    type      text NOT NULL,
    channel   text NOT NULL,
    game_id   text NOT NULL,
    game_name text NOT NULL,
    viewers   integer,
    data      text NOT NULL)"};

constexpr std::string_view lock_events_sql =
    "SELECT pg_advisory_xact_lock(hashtext('streamscope_events'))";

constexpr std::string_view write_events_sql = R"(
WITH written AS (
    INSERT INTO events (platform_id, sweep_id, at, type, channel, game_id, game_name, viewers,
                        data)
    SELECT $1, $2, $3, type, channel, game_id, game_name, viewers, data
      FROM sweep_events ORDER BY ord
    RETURNING id)
SELECT max(id) FROM written)";

constexpr std::string_view notify_sql = "SELECT pg_notify('streamscope_sweep', $1)";
constexpr std::string_view notify_events_sql = "SELECT pg_notify('streamscope_events', $1)";

// Of the streams at `positions`, one per distinct `key` (the first one, or a later one that
// `replaces` it): the games and channels of a sweep are staged one row each, so that no
// statement has to sort the sweep's streams to find them.
template <typename Key, typename Replaces>
std::vector<std::size_t> one_per_key(const std::deque<model::stream_observation>& streams,
                                     const std::vector<std::size_t>& positions, Key key,
                                     Replaces replaces) {
    std::unordered_map<std::string_view, std::size_t> chosen_for; // key -> index in chosen
    chosen_for.reserve(positions.size());
    std::vector<std::size_t> chosen;
    chosen.reserve(positions.size());
    for (std::size_t i : positions) {
        const auto [it, inserted] = chosen_for.try_emplace(key(streams[i]), chosen.size());
        if (inserted) {
            chosen.push_back(i);
        } else if (replaces(streams[i], streams[chosen[it->second]])) {
            chosen[it->second] = i;
        }
    }
    return chosen;
}

// A channel live twice in one sweep (a restarted broadcast) takes the names of its newest
// broadcast; of two that started together, the later one in the sweep.
std::vector<std::size_t> newest_per_channel(const std::deque<model::stream_observation>& streams,
                                            const std::vector<std::size_t>& positions) {
    return one_per_key(
        streams, positions, [](const auto& s) -> std::string_view { return s.platform_user_id; },
        [](const auto& s, const auto& kept) { return s.started_at >= kept.started_at; });
}

// A game takes the name its first stream gave it (the streams of one sweep agree).
std::vector<std::size_t> first_per_game(const std::deque<model::stream_observation>& streams,
                                        const std::vector<std::size_t>& positions) {
    return one_per_key(
        streams, positions, [](const auto& s) -> std::string_view { return s.platform_game_id; },
        [](const auto&, const auto&) { return false; });
}

std::optional<std::string> optional_time(const std::optional<time::timestamp>& t) {
    return t ? std::optional<std::string>(time::format_rfc3339(*t)) : std::nullopt;
}

// A sweep whose new channels are many, and at least half of what it sends in full: a
// platform's first sweeps.
bool brings_a_platform(std::int64_t new_channels, std::size_t sent_in_full) {
    constexpr std::int64_t many = 1000;
    return new_channels >= many && static_cast<std::size_t>(new_channels) * 2 >= sent_in_full;
}

// Creates `table` and COPYs `rows` into it, each written as one row by `write_row`.
template <typename Rows, typename WriteRow>
void stage(pqxx::work& tx, const staging_table& table, const Rows& rows, WriteRow write_row) {
    tx.exec("CREATE TEMP TABLE " + std::string(table.name) + " (" + std::string(table.columns) +
            ") ON COMMIT DROP");
    copy_rows out(tx, table.name);
    for (const auto& row : rows) {
        write_row(out, row);
        out.end_row();
    }
    out.complete();
}

} // namespace

write_result sweep_writer::write(const model::sweep& sweep, std::span<const model::event> events) {
    ensure_partitions(conn_, sweep.started_at);

    const auto platform_id = static_cast<int>(sweep.source);
    const std::string started_at = time::format_rfc3339(sweep.started_at);
    write_result result;

    pqxx::work tx(conn_);
    // A sweep's statements touch every live broadcast once: JIT compilation costs more than
    // it saves (up to a second, measured), and the sorts and hashes of 150,000 rows need more
    // than the default 4 MB to stay in memory. The index pages the lookups need are cached,
    // so an index probe is priced like the sequential read it nearly is.
    tx.exec("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL random_page_cost = 1.1");
    const pqxx::result inserted = tx.exec_params(
        std::string(insert_sweep_sql), platform_id, started_at,
        time::format_rfc3339(sweep.finished_at), std::string(model::to_string(sweep.status)),
        sweep.pages, sweep.requests, sweep.retries, static_cast<std::int64_t>(sweep.streams.size()),
        sweep.duplicates_dropped, sweep.malformed_records, sweep.error);
    if (inserted.empty()) {
        tx.abort();
        return result;
    }
    result.stored = true;
    result.sweep_id = inserted[0][0].as<std::int32_t>();

    // Each stream's state key, and the positions of the streams to send in full: new ones and
    // those whose state changed.
    std::vector<std::int64_t> keys;
    std::vector<std::size_t> full;
    if (!sweep.streams.empty()) {
        keys.reserve(sweep.streams.size());
        for (const auto& s : sweep.streams) {
            keys.push_back(stream_state_key(s));
        }
        std::size_t ord = 0;
        stage(tx, sweep_keys, sweep.streams,
              [&ord, &keys](copy_rows& out, const model::stream_observation& s) {
                  out.number(static_cast<std::int64_t>(ord))
                      .text(s.platform_stream_id)
                      .optional(s.viewer_count)
                      .number(keys[ord]);
                  ++ord;
              });
        std::int64_t unknown = 0;
        for (const auto& row :
             tx.exec_params(std::string(write_known_sql), platform_id, started_at)) {
            full.push_back(row[0].as<std::size_t>());
            unknown += row[1].as<bool>() ? 1 : 0;
        }
        result.snapshots = static_cast<std::int64_t>(sweep.streams.size()) - unknown;
    }
    if (!full.empty()) {
        stage(tx, sweep_streams, full, [&](copy_rows& out, std::size_t i) {
            const model::stream_observation& s = sweep.streams.at(i);
            out.text(s.platform_stream_id)
                .text(s.platform_user_id)
                .text(s.platform_game_id)
                .text(s.title)
                .text_array(s.tags)
                .optional(s.viewer_count)
                .text(time::format_rfc3339(s.started_at))
                .text(s.language)
                .text(s.thumbnail_url)
                .boolean(s.is_mature)
                .number(keys[i]);
        });
        stage(tx, sweep_seen_games, first_per_game(sweep.streams, full),
              [&](copy_rows& out, std::size_t i) {
                  const model::stream_observation& s = sweep.streams[i];
                  out.text(s.platform_game_id).text(s.game_name);
              });
        tx.exec_params(std::string(upsert_seen_games_sql), platform_id);
        stage(tx, sweep_channels, newest_per_channel(sweep.streams, full),
              [&](copy_rows& out, std::size_t i) {
                  const model::stream_observation& s = sweep.streams[i];
                  out.text(s.platform_user_id).text(s.login).text(s.display_name);
              });
        result.new_channels =
            tx.exec_params(std::string(upsert_seen_channels_sql), platform_id, started_at)[0][0]
                .as<std::int64_t>();
        if (brings_a_platform(result.new_channels, full.size())) {
            // Statistics taken before the platform's channels arrived make it look empty, and
            // the planner would resolve its streams as if they were a handful. ANALYZE in this
            // transaction counts its own new rows, and its statistics commit with the sweep.
            tx.exec("ANALYZE channels");
        }
        const pqxx::row counts =
            tx.exec_params(std::string(write_streams_sql), platform_id, started_at)[0];
        result.new_streams = counts[0].as<std::int64_t>();
        result.state_changes = counts[1].as<std::int64_t>();
        result.snapshots += counts[2].as<std::int64_t>();
    }
    if (!sweep.games.empty()) {
        stage(tx, sweep_games, sweep.games, [](copy_rows& out, const model::game_info& g) {
            out.text(g.platform_game_id).text(g.name).text(g.box_art_url).text(g.igdb_id);
        });
        tx.exec_params(std::string(upsert_games_sql), platform_id);
    }
    if (!sweep.profiles.empty()) {
        stage(tx, sweep_profiles, sweep.profiles,
              [](copy_rows& out, const model::channel_profile& p) {
                  out.text(p.platform_user_id)
                      .optional(p.description)
                      .text(p.profile_image_url)
                      .optional(p.broadcaster_type)
                      .optional(optional_time(p.account_created_at));
              });
        tx.exec_params(std::string(update_profiles_sql), platform_id, started_at);
    }
    if (!sweep.followers.empty()) {
        stage(tx, sweep_followers, sweep.followers,
              [](copy_rows& out, const model::follower_count& f) {
                  out.text(f.platform_user_id).number(f.followers);
              });
        tx.exec_params(std::string(update_followers_sql), platform_id);
    }
    if (!sweep.ended.empty()) {
        stage(tx, sweep_ended, sweep.ended, [](copy_rows& out, const model::ended_stream& e) {
            out.text(e.platform_stream_id).text(time::format_rfc3339(e.last_seen_at));
        });
        tx.exec_params(std::string(close_ended_sql), platform_id);
    }
    if (!events.empty()) {
        std::size_t ord = 0;
        stage(tx, sweep_events, events, [&ord](copy_rows& out, const model::event& e) {
            out.number(static_cast<std::int64_t>(ord++))
                .text(e.type)
                .text(e.channel)
                .text(e.game_id)
                .text(e.game_name)
                .optional(e.viewers)
                .text(e.data);
        });
        tx.exec(std::string(lock_events_sql));
        const auto newest = tx.exec_params1(std::string(write_events_sql), platform_id,
                                            result.sweep_id, started_at)[0]
                                .as<std::int64_t>();
        result.events = static_cast<std::int64_t>(events.size());
        tx.exec_params(std::string(notify_events_sql), std::to_string(newest));
    }
    tx.exec_params(std::string(notify_sql), std::string(model::to_string(sweep.source)) + ":" +
                                                std::to_string(result.sweep_id));
    tx.commit();
    return result;
}

} // namespace streamscope::db

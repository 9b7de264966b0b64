#include "common/db/sweep_writer.hpp"

#include <tuple>

#include <pqxx/pqxx>

#include "common/db/partitions.hpp"

namespace streamscope::db {
namespace {

// (platform_id, started_at) is unique: a sweep already stored inserts nothing and returns no
// row, which makes writing idempotent, also for two writers racing on one sweep.
constexpr std::string_view insert_sweep_sql = R"(
INSERT INTO sweeps (platform_id, started_at, finished_at, status, pages, requests, retries,
                    streams_seen, duplicates_dropped, error)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, nullif($10, ''))
ON CONFLICT (platform_id, started_at) DO NOTHING
RETURNING id)";

// A temporary table, dropped at commit, that a sweep's rows are COPYed into before set-based
// statements merge them: a few passes instead of one statement per row.
struct staging_table {
    const char* name;
    std::string_view columns; // the column definitions of its CREATE TEMP TABLE
};

// The sweep's streams.
constexpr staging_table sweep_streams{"sweep_streams", R"(
    platform_stream_id text NOT NULL,
    platform_user_id   text NOT NULL,
    login              text NOT NULL,
    display_name       text NOT NULL,
    platform_game_id   text NOT NULL,
    game_name          text NOT NULL,
    title              text NOT NULL,
    tags               text[] NOT NULL,
    viewer_count       integer,
    started_at         timestamptz NOT NULL,
    language           text NOT NULL,
    thumbnail_url      text NOT NULL,
    is_mature          boolean NOT NULL)"};

// Games seen in the streams: new ones, and renamed ones. The anti-join keeps unchanged rows
// out of the INSERT, so they are neither locked nor rewritten.
constexpr std::string_view upsert_seen_games_sql = R"(
INSERT INTO games AS g (platform_id, platform_game_id, name)
SELECT $1, s.platform_game_id, s.game_name
  FROM (SELECT DISTINCT ON (platform_game_id) platform_game_id, game_name
          FROM sweep_streams WHERE platform_game_id <> ''
         ORDER BY platform_game_id) s
  LEFT JOIN games e ON e.platform_id = $1 AND e.platform_game_id = s.platform_game_id
 WHERE e.id IS NULL OR e.name IS DISTINCT FROM s.game_name
ON CONFLICT (platform_id, platform_game_id)
DO UPDATE SET name = excluded.name, updated_at = now())";

// Channels seen in the streams: new ones, and renamed ones. A channel live twice in one sweep
// (a restarted broadcast) takes the names of its newest broadcast.
constexpr std::string_view upsert_seen_channels_sql = R"(
WITH changed AS (
    INSERT INTO channels AS c (platform_id, platform_user_id, login, display_name,
                               first_seen_at, last_seen_at)
    SELECT $1, s.platform_user_id, s.login, s.display_name, $2, $2
      FROM (SELECT DISTINCT ON (platform_user_id) platform_user_id, login, display_name
              FROM sweep_streams ORDER BY platform_user_id, started_at DESC) s
      LEFT JOIN channels e ON e.platform_id = $1 AND e.platform_user_id = s.platform_user_id
     WHERE e.id IS NULL OR (e.login, e.display_name) IS DISTINCT FROM (s.login, s.display_name)
    ON CONFLICT (platform_id, platform_user_id)
    DO UPDATE SET login = excluded.login, display_name = excluded.display_name, updated_at = now()
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) FROM changed)";

// Broadcasts and snapshots in one statement, so that the join resolving the sweep's rows to
// internal ids runs once. New broadcasts are inserted with their state; a broadcast whose
// state changed moves its old state to stream_states (unless this sweep is older than that
// state, as when an old spooled sweep arrives late); every stream gets its snapshot, in
// stream_id order (the snapshots index relies on it).
constexpr std::string_view write_streams_sql = R"(
WITH resolved AS MATERIALIZED (
    SELECT s.platform_stream_id, s.started_at, s.language, s.is_mature, s.title, s.tags,
           s.thumbnail_url, s.viewer_count, c.id AS channel_id, g.id AS game_id,
           e.id AS stream_id, e.state_since AS old_since, e.title AS old_title,
           e.game_id AS old_game_id, e.tags AS old_tags, e.thumbnail_url AS old_thumbnail_url,
           e.language AS old_language
      FROM sweep_streams s
      JOIN channels c ON c.platform_id = $1 AND c.platform_user_id = s.platform_user_id
      LEFT JOIN games g ON g.platform_id = $1 AND g.platform_game_id = s.platform_game_id
      LEFT JOIN streams e ON e.platform_id = $1 AND e.platform_stream_id = s.platform_stream_id
),
new_streams AS (
    INSERT INTO streams (platform_id, platform_stream_id, channel_id, started_at, language,
                         is_mature, title, game_id, tags, thumbnail_url, state_since,
                         first_seen_at)
    SELECT $1, platform_stream_id, channel_id, started_at, language, is_mature, title, game_id,
           tags, thumbnail_url, $2, $2
      FROM resolved
     WHERE stream_id IS NULL
    RETURNING id, platform_stream_id, channel_id
),
changed AS (
    SELECT *, (title, game_id, tags, thumbnail_url)
              IS DISTINCT FROM (old_title, old_game_id, old_tags, old_thumbnail_url)
              AS state_changed
      FROM resolved
     WHERE stream_id IS NOT NULL AND old_since < $2
       AND (title, game_id, tags, thumbnail_url, language)
           IS DISTINCT FROM (old_title, old_game_id, old_tags, old_thumbnail_url, old_language)
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
           language = r.language,
           state_since = CASE WHEN r.state_changed THEN $2 ELSE st.state_since END
      FROM changed r
     WHERE st.id = r.stream_id
),
channels_seen AS (
    UPDATE channels c SET last_seen_at = $2
      FROM new_streams n
     WHERE c.id = n.channel_id AND c.last_seen_at < $2
),
snapshots_written AS (
    INSERT INTO snapshots (collected_at, stream_id, viewer_count)
    SELECT $2, x.id, x.viewer_count
      FROM (SELECT stream_id AS id, viewer_count FROM resolved WHERE stream_id IS NOT NULL
            UNION ALL
            SELECT n.id, r.viewer_count
              FROM new_streams n JOIN resolved r USING (platform_stream_id)) x
     ORDER BY x.id
    RETURNING 1
)
SELECT (SELECT count(*) FROM new_streams),
       (SELECT count(*) FROM changed WHERE state_changed),
       (SELECT count(*) FROM snapshots_written))";

constexpr staging_table sweep_profiles{"sweep_profiles", R"(
    platform_user_id   text NOT NULL,
    description        text NOT NULL,
    profile_image_url  text NOT NULL,
    broadcaster_type   text NOT NULL,
    account_created_at timestamptz)"};

constexpr std::string_view update_profiles_sql = R"(
UPDATE channels c
   SET description = p.description, profile_image_url = p.profile_image_url,
       broadcaster_type = p.broadcaster_type, account_created_at = p.account_created_at,
       profile_refreshed_at = $2,
       updated_at = CASE WHEN (c.description, c.profile_image_url, c.broadcaster_type,
                               c.account_created_at)
                              IS DISTINCT FROM (p.description, p.profile_image_url,
                                                p.broadcaster_type, p.account_created_at)
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

constexpr std::string_view notify_sql = "SELECT pg_notify('streamscope_sweep', $1)";

// A PostgreSQL array literal: {"a","b"} with quotes and backslashes escaped. COPY's own
// escaping is applied on top by pqxx::stream_to.
std::string array_literal(const std::vector<std::string>& items) {
    std::string out = "{";
    for (const std::string& item : items) {
        if (out.size() > 1) {
            out += ',';
        }
        out += '"';
        for (char c : item) {
            if (c == '"' || c == '\\') {
                out += '\\';
            }
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::optional<std::string> optional_time(const std::optional<time::timestamp>& t) {
    return t ? std::optional<std::string>(time::format_rfc3339(*t)) : std::nullopt;
}

// Creates `table` and COPYs `rows` into it, each row turned into a tuple by `to_tuple`.
template <typename Rows, typename ToTuple>
void stage(pqxx::work& tx, const staging_table& table, const Rows& rows, ToTuple to_tuple) {
    tx.exec("CREATE TEMP TABLE " + std::string(table.name) + " (" + std::string(table.columns) +
            ") ON COMMIT DROP");
    pqxx::stream_to out(tx, table.name);
    for (const auto& row : rows) {
        out << to_tuple(row);
    }
    out.complete();
}

} // namespace

write_result sweep_writer::write(const model::sweep& sweep) {
    ensure_partitions(conn_, sweep.started_at);

    const auto platform_id = static_cast<int>(sweep.source);
    const std::string started_at = time::format_rfc3339(sweep.started_at);
    write_result result;

    pqxx::work tx(conn_);
    const pqxx::result inserted = tx.exec_params(
        std::string(insert_sweep_sql), platform_id, started_at,
        time::format_rfc3339(sweep.finished_at), std::string(model::to_string(sweep.status)),
        sweep.pages, sweep.requests, sweep.retries, static_cast<std::int64_t>(sweep.streams.size()),
        sweep.duplicates_dropped, sweep.error);
    if (inserted.empty()) {
        tx.abort();
        return result;
    }
    result.stored = true;
    result.sweep_id = inserted[0][0].as<std::int32_t>();

    if (!sweep.streams.empty()) {
        stage(tx, sweep_streams, sweep.streams, [](const model::stream_observation& s) {
            return std::make_tuple(
                s.platform_stream_id, s.platform_user_id, s.login, s.display_name,
                s.platform_game_id, s.game_name, s.title, array_literal(s.tags), s.viewer_count,
                time::format_rfc3339(s.started_at), s.language, s.thumbnail_url, s.is_mature);
        });
        tx.exec_params(std::string(upsert_seen_games_sql), platform_id);
        result.new_channels =
            tx.exec_params(std::string(upsert_seen_channels_sql), platform_id, started_at)[0][0]
                .as<std::int64_t>();
        const pqxx::row counts =
            tx.exec_params(std::string(write_streams_sql), platform_id, started_at)[0];
        result.new_streams = counts[0].as<std::int64_t>();
        result.state_changes = counts[1].as<std::int64_t>();
        result.snapshots = counts[2].as<std::int64_t>();
    }
    if (!sweep.games.empty()) {
        stage(tx, sweep_games, sweep.games, [](const model::game_info& g) {
            return std::make_tuple(g.platform_game_id, g.name, g.box_art_url, g.igdb_id);
        });
        tx.exec_params(std::string(upsert_games_sql), platform_id);
    }
    if (!sweep.profiles.empty()) {
        stage(tx, sweep_profiles, sweep.profiles, [](const model::channel_profile& p) {
            return std::make_tuple(p.platform_user_id, p.description, p.profile_image_url,
                                   p.broadcaster_type, optional_time(p.account_created_at));
        });
        tx.exec_params(std::string(update_profiles_sql), platform_id, started_at);
    }
    if (!sweep.followers.empty()) {
        stage(tx, sweep_followers, sweep.followers, [](const model::follower_count& f) {
            return std::make_tuple(f.platform_user_id, f.followers);
        });
        tx.exec_params(std::string(update_followers_sql), platform_id);
    }
    if (!sweep.ended.empty()) {
        stage(tx, sweep_ended, sweep.ended, [](const model::ended_stream& e) {
            return std::make_tuple(e.platform_stream_id, time::format_rfc3339(e.last_seen_at));
        });
        tx.exec_params(std::string(close_ended_sql), platform_id);
    }
    tx.exec_params(std::string(notify_sql), std::string(model::to_string(sweep.source)) + ":" +
                                                std::to_string(result.sweep_id));
    tx.commit();
    return result;
}

} // namespace streamscope::db

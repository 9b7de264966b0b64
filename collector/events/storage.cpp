#include "collector/events/storage.hpp"

#include <deque>

#include <pqxx/pqxx>

namespace streamscope::collector::events {
namespace {

constexpr const char* newest_sweep_sql = R"(
SELECT (extract(epoch FROM started_at) * 1000000)::bigint, status = 'complete'
  FROM sweeps WHERE platform_id = $1 ORDER BY started_at DESC LIMIT 1)";

// $1 platform, $2 the newest sweep's start (µs). Every open broadcast, with its count in the
// newest sweep or, for the few that sweep missed, in its last snapshot (through the bucket
// index). The newest sweep's snapshots are one time slice of one partition, read once through
// the block-range index and hashed: probing them per broadcast would search the block range
// 100,000 times (a 40,000-stream view took more than 36 s that way).
constexpr const char* open_broadcasts_sql = R"(
WITH newest AS MATERIALIZED (
    SELECT stream_id, viewer_count, collected_at FROM snapshots
     WHERE collected_at = to_timestamp($2::float8 / 1000000))
SELECT st.platform_stream_id, c.platform_user_id, c.login, c.display_name,
       coalesce(g.platform_game_id, ''), coalesce(g.name, ''), st.title,
       (extract(epoch FROM st.started_at) * 1000000)::bigint, st.language, st.thumbnail_url,
       st.is_mature, coalesce(s.viewer_count, last.viewer_count),
       (extract(epoch FROM coalesce(s.collected_at, last.collected_at, st.first_seen_at))
        * 1000000)::bigint,
       s.collected_at IS NOT NULL
  FROM streams st
  JOIN channels c ON c.id = st.channel_id
  LEFT JOIN games g ON g.id = st.game_id
  LEFT JOIN newest s ON s.stream_id = st.id
  LEFT JOIN LATERAL (
       SELECT x.collected_at, x.viewer_count FROM snapshots x
        WHERE s.collected_at IS NULL AND x.stream_id / 16 = st.id / 16 AND x.stream_id = st.id
        ORDER BY x.collected_at DESC LIMIT 1) last ON true
 WHERE st.platform_id = $1 AND st.ended_at IS NULL)";

constexpr const char* expire_events_sql = R"(
DELETE FROM events WHERE at < now() - make_interval(hours => $1))";

time::timestamp from_us(std::int64_t us) {
    return time::timestamp(std::chrono::microseconds(us));
}

} // namespace

std::optional<time::timestamp> newest_sweep(pqxx::connection& conn, model::platform platform) {
    pqxx::read_transaction tx(conn);
    const pqxx::result r = tx.exec_params(newest_sweep_sql, static_cast<int>(platform));
    if (r.empty()) {
        return std::nullopt;
    }
    return from_us(r[0][0].as<std::int64_t>());
}

stream_view load_view(pqxx::connection& conn, model::platform platform, const event_rules& rules) {
    pqxx::read_transaction tx(conn);
    stream_view view;
    const pqxx::result newest = tx.exec_params(newest_sweep_sql, static_cast<int>(platform));
    if (newest.empty()) {
        return view;
    }
    const std::int64_t newest_us = newest[0][0].as<std::int64_t>();
    const bool complete = newest[0][1].as<bool>();
    view.sweep_at = from_us(newest_us);
    std::deque<model::stream_observation> in_newest;
    for (const auto& row :
         tx.exec_params(open_broadcasts_sql, static_cast<int>(platform), newest_us)) {
        seen_stream seen;
        model::stream_observation& s = seen.stream;
        s.platform_stream_id = row[0].as<std::string>();
        s.platform_user_id = row[1].as<std::string>();
        s.login = row[2].as<std::string>();
        s.display_name = row[3].as<std::string>();
        s.platform_game_id = row[4].as<std::string>();
        s.game_name = row[5].as<std::string>();
        s.title = row[6].as<std::string>();
        s.started_at = from_us(row[7].as<std::int64_t>());
        s.language = row[8].as<std::string>();
        s.thumbnail_url = row[9].as<std::string>();
        s.is_mature = row[10].as<bool>();
        if (!row[11].is_null()) {
            s.viewer_count = row[11].as<std::int32_t>();
        }
        seen.collected_at = from_us(row[12].as<std::int64_t>());
        if (complete && row[13].as<bool>()) {
            in_newest.push_back(s);
        }
        view.open.emplace(s.platform_stream_id, std::move(seen));
    }
    if (complete) {
        view.top_lists = rank(in_newest, rules);
    }
    return view;
}

long long expire_events(pqxx::connection& conn, std::chrono::hours keep) {
    pqxx::work tx(conn);
    const pqxx::result r = tx.exec_params(expire_events_sql, static_cast<int>(keep.count()));
    tx.commit();
    return r.affected_rows();
}

} // namespace streamscope::collector::events

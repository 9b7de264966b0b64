#include "collector/store/sweep_state.hpp"

#include <unordered_map>

#include <pqxx/result>
#include <pqxx/transaction>

namespace streamscope::collector {
namespace {

constexpr const char* latest_sweep_sql = R"(
SELECT (extract(epoch FROM started_at) * 1000000)::bigint, status = 'complete', streams_seen
  FROM sweeps WHERE platform_id = $1 ORDER BY started_at DESC LIMIT 1)";

// Open broadcasts whose stream id is not among the sweep's ($2). `<> ALL` over a constant
// array is a hash lookup (PostgreSQL 15), so this stays one pass over the open broadcasts
// whatever the table statistics say. A few rows come back: those that ended, and those that
// paging missed.
constexpr const char* unmatched_sql = R"(
SELECT st.id, st.platform_stream_id, c.platform_user_id,
       (extract(epoch FROM st.first_seen_at) * 1000000)::bigint
  FROM streams st JOIN channels c ON c.id = st.channel_id
 WHERE st.platform_id = $1 AND st.ended_at IS NULL AND st.platform_stream_id <> ALL ($2::text[]))";

// Which of them the newest sweep saw: its rows are one partition's block range.
constexpr const char* in_sweep_sql = R"(
SELECT stream_id FROM snapshots
 WHERE collected_at = to_timestamp($1::float8 / 1000000) AND stream_id = ANY ($2::int[]))";

// The last sighting of those the newest sweep missed too (few: they are ended or looked up
// before they can pile up), through the bucket index.
constexpr const char* last_seen_sql = R"(
SELECT stream_id, (extract(epoch FROM max(collected_at)) * 1000000)::bigint
  FROM snapshots
 WHERE stream_id / 16 = ANY ($1::int[]) AND stream_id = ANY ($2::int[])
 GROUP BY stream_id)";

// The sweep's channels come in as two arrays (ids, viewers) so that the database does the
// matching and only what enrichment can use comes back.
constexpr const char* stale_channels_sql = R"(
SELECT u.id
  FROM unnest($2::text[], $3::int[]) AS u(id, viewers)
  LEFT JOIN channels c ON c.platform_id = $1 AND c.platform_user_id = u.id
 WHERE c.profile_refreshed_at IS NULL
    OR c.profile_refreshed_at <= now() - make_interval(hours => $4)
 ORDER BY u.viewers DESC
 LIMIT $5)";

constexpr const char* follower_channels_sql = R"(
SELECT u.id
  FROM unnest($2::text[], $3::int[]) AS u(id, viewers)
  LEFT JOIN channels c ON c.platform_id = $1 AND c.platform_user_id = u.id
 ORDER BY c.follower_count IS NULL DESC, u.viewers DESC
 LIMIT $4)";

constexpr const char* unknown_games_sql = R"(
SELECT DISTINCT u.id
  FROM unnest($2::text[]) AS u(id)
 WHERE u.id <> ''
   AND NOT EXISTS (SELECT 1 FROM games g
                    WHERE g.platform_id = $1 AND g.platform_game_id = u.id
                      AND g.box_art_url IS NOT NULL))";

// A PostgreSQL array literal of text values: every element quoted, " and \ escaped. Built
// in place from `items` through `project`: for 100,000 streams, intermediate vectors of
// copies would cost about 10 MB.
template <typename Range, typename Project>
std::string text_array(const Range& items, Project project) {
    std::string out = "{";
    for (const auto& item : items) {
        if (out.size() > 1) {
            out += ',';
        }
        out += '"';
        const auto& text = project(item); // may be a temporary: bound here, it lives on
        for (char c : std::string_view(text)) {
            if (c == '"' || c == '\\') {
                out += '\\';
            }
            out += c;
        }
        out += '"';
    }
    out += '}';
    return out;
}

} // namespace

latest_sweep load_latest_sweep(pqxx::connection& conn, model::platform platform) {
    pqxx::read_transaction tx{conn};
    latest_sweep latest;
    const pqxx::result row = tx.exec_params(latest_sweep_sql, static_cast<int>(platform));
    if (!row.empty()) {
        latest.exists = true;
        latest.started_at =
            time::timestamp(std::chrono::microseconds(row[0][0].as<std::int64_t>()));
        latest.complete = row[0][1].as<bool>();
        latest.streams = row[0][2].as<std::size_t>();
    }
    return latest;
}

std::vector<open_broadcast>
load_unmatched_broadcasts(pqxx::connection& conn, model::platform platform,
                          const latest_sweep& latest,
                          const std::deque<model::stream_observation>& seen) {
    pqxx::read_transaction tx{conn};
    const pqxx::result rows = tx.exec_params(
        unmatched_sql, static_cast<int>(platform),
        text_array(seen, [](const model::stream_observation& s) -> const std::string& {
            return s.platform_stream_id;
        }));

    std::vector<open_broadcast> open;
    std::unordered_map<std::int64_t, std::size_t> index; // streams.id -> position in `open`
    open.reserve(rows.size());
    for (const auto& row : rows) {
        index.emplace(row[0].as<std::int64_t>(), open.size());
        open.push_back({
            .stream_id = row[1].as<std::string>(),
            .user_id = row[2].as<std::string>(),
            .last_seen = time::timestamp(std::chrono::microseconds(row[3].as<std::int64_t>())),
            .in_latest_sweep = false,
        });
    }
    if (open.empty()) {
        return open;
    }
    const auto ids =
        text_array(index, [](const auto& entry) { return std::to_string(entry.first); });
    if (latest.exists) {
        const auto latest_us = latest.started_at.time_since_epoch().count();
        for (const auto& row : tx.exec_params(in_sweep_sql, latest_us, ids)) {
            open_broadcast& b = open[index.at(row[0].as<std::int64_t>())];
            b.in_latest_sweep = true;
            b.last_seen = latest.started_at;
        }
    }
    std::erase_if(index, [&](const auto& entry) { return open[entry.second].in_latest_sweep; });
    if (!index.empty()) {
        const auto buckets =
            text_array(index, [](const auto& entry) { return std::to_string(entry.first / 16); });
        const auto missed =
            text_array(index, [](const auto& entry) { return std::to_string(entry.first); });
        for (const auto& row : tx.exec_params(last_seen_sql, buckets, missed)) {
            open[index.at(row[0].as<std::int64_t>())].last_seen =
                time::timestamp(std::chrono::microseconds(row[1].as<std::int64_t>()));
        }
    }
    return open;
}

enrichment_plan plan_enrichment(pqxx::connection& conn, model::platform platform,
                                const std::deque<model::stream_observation>& streams,
                                std::chrono::hours profile_refresh, std::int64_t budget,
                                bool with_followers) {
    using stream = model::stream_observation;
    const std::string id_array = text_array(
        streams, [](const stream& s) -> const std::string& { return s.platform_user_id; });
    const std::string viewer_array = text_array(
        streams, [](const stream& s) { return std::to_string(s.viewer_count.value_or(0)); });
    const std::string game_array = text_array(
        streams, [](const stream& s) -> const std::string& { return s.platform_game_id; });

    pqxx::read_transaction tx{conn};
    const auto platform_id = static_cast<int>(platform);
    const auto column = [](const pqxx::result& rows) {
        std::vector<std::string> out;
        out.reserve(rows.size());
        for (const auto& row : rows) {
            out.push_back(row[0].as<std::string>());
        }
        return out;
    };
    enrichment_plan plan;
    plan.games = column(tx.exec_params(unknown_games_sql, platform_id, game_array));
    plan.stale_channels =
        column(tx.exec_params(stale_channels_sql, platform_id, id_array, viewer_array,
                              static_cast<int>(profile_refresh.count()), budget * 100));
    if (with_followers) {
        plan.follower_channels = column(
            tx.exec_params(follower_channels_sql, platform_id, id_array, viewer_array, budget));
    }
    return plan;
}

} // namespace streamscope::collector

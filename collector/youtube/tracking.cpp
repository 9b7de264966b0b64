#include "collector/youtube/tracking.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "common/db/copy_rows.hpp"

namespace streamscope::youtube {
namespace {

std::string array_literal(const std::vector<std::string>& items) {
    std::string out;
    db::append_array_literal(out, items);
    return out;
}

std::int64_t epoch_us(time::timestamp t) {
    return t.time_since_epoch().count();
}

time::timestamp from_epoch_us(std::int64_t us) {
    return time::timestamp(std::chrono::microseconds(us));
}

std::string_view phase_name(video_phase phase) {
    switch (phase) {
    case video_phase::upcoming:
        return "upcoming";
    case video_phase::live:
        return "live";
    case video_phase::ended:
        return "ended";
    case video_phase::not_a_broadcast:
        break;
    }
    return "not_a_broadcast";
}

constexpr const char* load_watchlist_sql = R"(
    SELECT channel_id, coalesce(handle, ''), coalesce(title, ''), source,
           (extract(epoch FROM added_at) * 1000000)::bigint,
           (extract(epoch FROM feed_polled_at) * 1000000)::bigint, feed_failures
      FROM youtube_channels
     ORDER BY added_at, channel_id)";

// $1 ids, $2 handles, $3 titles (arrays of one length), $4 source.
constexpr const char* add_to_watchlist_sql = R"(
    WITH added AS (
        INSERT INTO youtube_channels AS c (channel_id, handle, title, source)
        SELECT id, nullif(handle, ''), nullif(title, ''), $4
          FROM unnest($1::text[], $2::text[], $3::text[]) AS x(id, handle, title)
        ON CONFLICT (channel_id) DO UPDATE
           SET handle = coalesce(excluded.handle, c.handle),
               title = coalesce(excluded.title, c.title)
        RETURNING (xmax = 0) AS inserted)
    SELECT count(*) FILTER (WHERE inserted) FROM added)";

constexpr const char* watched_handles_sql = R"(
    SELECT handle, channel_id FROM youtube_channels WHERE handle = ANY ($1::text[]))";

// The videos go with their channel (ON DELETE CASCADE).
constexpr const char* remove_from_watchlist_sql = R"(
    DELETE FROM youtube_channels WHERE channel_id = ANY ($1::text[]) RETURNING channel_id)";

// $1 channel, $2 ok.
constexpr const char* record_feed_sql = R"(
    UPDATE youtube_channels
       SET feed_polled_at = CASE WHEN $2 THEN now() ELSE feed_polled_at END,
           feed_failures = CASE WHEN $2 THEN 0 ELSE feed_failures + 1 END
     WHERE channel_id = $1)";

// $1 channel, $2 video ids. A feed read before its channel was removed finds nothing to add
// to: the channel's row is locked first, so a removal either waits for these videos and takes
// them along or has already happened and the row is skipped.
constexpr const char* record_found_sql = R"(
    WITH watched AS (
        SELECT channel_id FROM youtube_channels WHERE channel_id = $1 FOR KEY SHARE),
    found AS (
        INSERT INTO youtube_videos (video_id, channel_id, phase)
        SELECT id, watched.channel_id, 'new' FROM watched, unnest($2::text[]) AS id
        ON CONFLICT (video_id) DO NOTHING
        RETURNING 1)
    SELECT count(*) FROM found)";

// $1 now (epoch us), $2 limit. Upcoming broadcasts scheduled more than a day ahead (or long
// overdue: YouTube keeps abandoned schedules) are asked about once an hour.
constexpr const char* load_candidates_sql = R"(
    SELECT video_id, channel_id
      FROM youtube_videos
     WHERE phase IN ('new', 'live')
        OR (phase = 'upcoming'
            AND (checked_at IS NULL
                 OR checked_at < to_timestamp($1::bigint / 1e6) - interval '1 hour'
                 OR scheduled_start BETWEEN to_timestamp($1::bigint / 1e6) - interval '1 day'
                                        AND to_timestamp($1::bigint / 1e6) + interval '1 day'))
     ORDER BY phase = 'live' DESC, phase = 'new' DESC, found_at
     LIMIT $2)";

// $1 ids, $2 phases, $3 scheduled starts (epoch us, NULL when none), $4 now.
constexpr const char* record_checked_sql = R"(
    UPDATE youtube_videos v
       SET phase = x.phase,
           scheduled_start = to_timestamp(x.scheduled / 1e6),
           checked_at = to_timestamp($4::bigint / 1e6)
      FROM unnest($1::text[], $2::text[], $3::bigint[]) AS x(id, phase, scheduled)
     WHERE v.video_id = x.id)";

constexpr const char* forget_old_videos_sql = R"(
    DELETE FROM youtube_videos
     WHERE phase IN ('ended', 'not_a_broadcast', 'gone')
       AND found_at < now() - make_interval(hours => $1))";

constexpr const char* spend_quota_sql = "SELECT youtube_spend_quota($1::date, $2, $3, $4)";

constexpr const char* spent_on_sql = R"(
    SELECT method, units FROM youtube_quota WHERE day = $1::date)";

constexpr const char* mark_quota_exhausted_sql = R"(
    INSERT INTO youtube_quota AS q (day, method, units)
    SELECT $1::date, 'elsewhere', greatest(0, $2 - coalesce(sum(units), 0))
      FROM youtube_quota WHERE day = $1::date AND method <> 'search.list'
    ON CONFLICT ON CONSTRAINT youtube_quota_pkey DO UPDATE SET units = q.units + excluded.units)";

} // namespace

std::vector<watched_channel> load_watchlist(pqxx::connection& conn) {
    pqxx::read_transaction tx(conn);
    std::vector<watched_channel> out;
    for (const auto& row : tx.exec(load_watchlist_sql)) {
        watched_channel c;
        c.channel_id = row[0].as<std::string>();
        c.handle = row[1].as<std::string>();
        c.title = row[2].as<std::string>();
        c.source = row[3].as<std::string>();
        c.added_at = from_epoch_us(row[4].as<std::int64_t>());
        if (!row[5].is_null()) {
            c.feed_polled_at = from_epoch_us(row[5].as<std::int64_t>());
        }
        c.feed_failures = row[6].as<std::int32_t>();
        out.push_back(std::move(c));
    }
    return out;
}

std::size_t add_to_watchlist(pqxx::connection& conn, const std::vector<channel_info>& channels,
                             std::string_view source) {
    if (channels.empty()) {
        return 0;
    }
    std::vector<std::string> ids;
    std::vector<std::string> handles;
    std::vector<std::string> titles;
    for (const channel_info& c : channels) {
        ids.push_back(c.channel_id);
        handles.push_back(c.handle.starts_with('@') ? c.handle.substr(1) : c.handle);
        titles.push_back(c.title);
    }
    pqxx::work tx(conn);
    const auto added =
        tx.exec_params1(add_to_watchlist_sql, array_literal(ids), array_literal(handles),
                        array_literal(titles), std::string(source))[0]
            .as<std::int64_t>();
    tx.commit();
    return static_cast<std::size_t>(added);
}

std::map<std::string, std::string> watched_handles(pqxx::connection& conn,
                                                   const std::vector<std::string>& handles) {
    pqxx::read_transaction tx(conn);
    std::map<std::string, std::string> out;
    for (const auto& row : tx.exec_params(watched_handles_sql, array_literal(handles))) {
        out.emplace(row[0].as<std::string>(), row[1].as<std::string>());
    }
    return out;
}

std::vector<std::string> remove_from_watchlist(pqxx::connection& conn,
                                               const std::vector<std::string>& channel_ids) {
    pqxx::work tx(conn);
    std::vector<std::string> out;
    for (const auto& row : tx.exec_params(remove_from_watchlist_sql, array_literal(channel_ids))) {
        out.push_back(row[0].as<std::string>());
    }
    tx.commit();
    return out;
}

std::size_t record_feed(pqxx::connection& conn, std::string_view channel_id, bool ok,
                        const std::vector<std::string>& video_ids) {
    pqxx::work tx(conn);
    tx.exec_params(record_feed_sql, std::string(channel_id), ok);
    const auto found =
        tx.exec_params1(record_found_sql, std::string(channel_id), array_literal(video_ids))[0]
            .as<std::int64_t>();
    tx.commit();
    return static_cast<std::size_t>(found);
}

std::size_t record_found(pqxx::connection& conn, std::string_view channel_id,
                         const std::vector<std::string>& video_ids) {
    pqxx::work tx(conn);
    const auto found =
        tx.exec_params1(record_found_sql, std::string(channel_id), array_literal(video_ids))[0]
            .as<std::int64_t>();
    tx.commit();
    return static_cast<std::size_t>(found);
}

std::vector<candidate> load_candidates(pqxx::connection& conn, time::timestamp now,
                                       std::size_t limit) {
    pqxx::read_transaction tx(conn);
    std::vector<candidate> out;
    for (const auto& row :
         tx.exec_params(load_candidates_sql, epoch_us(now), static_cast<std::int64_t>(limit))) {
        out.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
    }
    return out;
}

void record_checked(pqxx::connection& conn, const std::vector<video>& videos,
                    const std::vector<std::string>& missing, time::timestamp now) {
    std::vector<std::string> ids;
    std::vector<std::string> phases;
    std::string scheduled = "{";
    const auto add = [&](const std::string& id, std::string_view phase,
                         const std::optional<time::timestamp>& start) {
        if (!ids.empty()) {
            scheduled += ',';
        }
        ids.push_back(id);
        phases.emplace_back(phase);
        scheduled += start ? std::to_string(epoch_us(*start)) : std::string("NULL");
    };
    for (const video& v : videos) {
        add(v.video_id, phase_name(v.phase), v.scheduled_start);
    }
    for (const std::string& id : missing) {
        add(id, "gone", std::nullopt);
    }
    scheduled += '}';
    if (ids.empty()) {
        return;
    }
    pqxx::work tx(conn);
    tx.exec_params(record_checked_sql, array_literal(ids), array_literal(phases), scheduled,
                   epoch_us(now));
    tx.commit();
}

std::int64_t forget_old_videos(pqxx::connection& conn, std::chrono::hours keep) {
    pqxx::work tx(conn);
    const auto result = tx.exec_params(forget_old_videos_sql, static_cast<int>(keep.count()));
    tx.commit();
    return result.affected_rows();
}

std::optional<std::int64_t> spend_quota(pqxx::connection& conn, std::chrono::year_month_day day,
                                        std::string_view method, std::int32_t units,
                                        std::int64_t quota) {
    pqxx::work tx(conn);
    const auto row =
        tx.exec_params1(spend_quota_sql, time::format_date(day), std::string(method), units, quota);
    tx.commit();
    if (row[0].is_null()) {
        return std::nullopt;
    }
    return row[0].as<std::int64_t>();
}

std::map<std::string, std::int64_t> spent_on(pqxx::connection& conn,
                                             std::chrono::year_month_day day) {
    pqxx::read_transaction tx(conn);
    std::map<std::string, std::int64_t> out;
    for (const auto& row : tx.exec_params(spent_on_sql, time::format_date(day))) {
        out.emplace(row[0].as<std::string>(), row[1].as<std::int64_t>());
    }
    return out;
}

void mark_quota_exhausted(pqxx::connection& conn, std::chrono::year_month_day day,
                          std::int64_t quota) {
    pqxx::work tx(conn);
    tx.exec_params(mark_quota_exhausted_sql, time::format_date(day), quota);
    tx.commit();
}

std::int64_t shared_bucket(const std::map<std::string, std::int64_t>& spent) {
    std::int64_t total = 0;
    for (const auto& [method, units] : spent) {
        if (method != search_list) {
            total += units;
        }
    }
    return total;
}

} // namespace streamscope::youtube

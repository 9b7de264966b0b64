#include "api/handlers/live/rows.hpp"

#include <pqxx/pqxx>

#include "api/format/timestamps.hpp"
#include "common/model/stream_item.hpp"

namespace streamscope::api {
namespace {

// A text column without a copy (the item copies what it keeps).
std::string_view field_text(const pqxx::field& f) {
    return {f.c_str(), f.size()};
}

constexpr const char* latest_sweeps_sql = R"(
SELECT DISTINCT ON (w.platform_id) w.platform_id, p.name,
       (extract(epoch FROM w.started_at) * 1000000)::bigint, w.id, w.status, w.streams_seen
  FROM sweeps w JOIN platforms p ON p.id = w.platform_id
 WHERE w.status = 'complete' AND ($1 = '' OR p.name = $1)
 ORDER BY w.platform_id, w.started_at DESC)";

} // namespace

// A sweep's rows are one time slice of one partition, found through the block-range index.
const char* const stream_rows_sql = R"(
SELECT p.name, c.platform_user_id, c.login, c.display_name, st.title,
       COALESCE(g.platform_game_id, ''), COALESCE(g.name, ''), s.viewer_count, st.language,
       (extract(epoch FROM st.started_at) * 1000000)::bigint,
       (extract(epoch FROM s.collected_at) * 1000000)::bigint,
       st.thumbnail_url, stream_url(p.name, c.login, c.platform_user_id, st.platform_stream_id),
       st.id
  FROM unnest($1::int[], $2::bigint[]) AS l(platform_id, micros)
  JOIN snapshots s ON s.collected_at = timestamptz 'epoch' + l.micros * interval '1 microsecond'
  JOIN streams st ON st.id = s.stream_id AND st.platform_id = l.platform_id
  JOIN channels c ON c.id = st.channel_id
  JOIN platforms p ON p.id = st.platform_id
  LEFT JOIN games g ON g.id = st.game_id
)";

std::vector<sweep_ref> latest_sweeps(pqxx::transaction_base& tx, const std::string& platform) {
    std::vector<sweep_ref> out;
    for (const auto& row : tx.exec_params(latest_sweeps_sql, platform)) {
        out.push_back({row[0].as<int>(), row[1].as<std::string>(), row[2].as<std::int64_t>(),
                       row[3].as<std::int64_t>(), row[4].as<std::string>(),
                       row[5].as<std::int64_t>()});
    }
    return out;
}

std::pair<std::string, std::string> sweep_arrays(const std::vector<sweep_ref>& sweeps) {
    std::string ids = "{";
    std::string times = "{";
    // Appends, not "," + std::to_string(...): GCC 12 warns about that with a false -Wrestrict.
    for (const auto& s : sweeps) {
        if (ids.size() > 1) {
            ids += ',';
            times += ',';
        }
        ids += std::to_string(s.platform_id);
        times += std::to_string(s.started_us);
    }
    ids += '}';
    times += '}';
    return {ids, times};
}

boost::json::object stream_item(const pqxx::row& row) {
    const auto viewers =
        row[7].is_null() ? std::nullopt : std::optional<std::int64_t>(row[7].as<std::int64_t>());
    return model::stream_item({
        .platform = field_text(row[0]),
        .channel_id = field_text(row[1]),
        .username = field_text(row[2]),
        .display_name = field_text(row[3]),
        .title = field_text(row[4]),
        .game_id = field_text(row[5]),
        .game_name = field_text(row[6]),
        .viewer_count = viewers,
        .language = field_text(row[8]),
        .started_at = time::timestamp(std::chrono::microseconds(row[9].as<std::int64_t>())),
        .collected_at = time::timestamp(std::chrono::microseconds(row[10].as<std::int64_t>())),
        .thumbnail_url = field_text(row[11]),
        .stream_url = field_text(row[12]),
    });
}

boost::json::array sweeps_meta(const std::vector<sweep_ref>& sweeps) {
    boost::json::array out;
    for (const auto& s : sweeps) {
        out.push_back(boost::json::object{{"platform", s.platform},
                                          {"sweep_id", s.id},
                                          {"collected_at", rfc3339_us(s.started_us)},
                                          {"status", s.status},
                                          {"streams", s.streams}});
    }
    return out;
}

} // namespace streamscope::api

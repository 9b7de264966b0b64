#include "api/handlers/live/rows.hpp"

#include <pqxx/pqxx>

#include "api/format/timestamps.hpp"

namespace streamscope::api {
namespace {

constexpr const char* latest_sweeps_sql = R"(
SELECT DISTINCT ON (w.platform_id) w.platform_id, p.name,
       (extract(epoch FROM w.started_at) * 1000000)::bigint, w.id, w.status, w.streams_seen
  FROM sweeps w JOIN platforms p ON p.id = w.platform_id
 WHERE w.status = 'complete' AND ($1 = '' OR p.name = $1)
 ORDER BY w.platform_id, w.started_at DESC)";

// Twitch's thumbnail is a template; the original design served it at 440x248.
std::string thumbnail(std::string url) {
    if (const auto at = url.find("{width}x{height}"); at != std::string::npos) {
        url.replace(at, 16, "440x248");
    }
    return url;
}

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
    const std::string platform = row[0].as<std::string>();
    const std::string login = row[2].as<std::string>();
    boost::json::object item;
    item["platform"] = platform;
    item["channel_id"] = row[1].as<std::string>();
    item["username"] = login;
    item["display_name"] = row[3].as<std::string>();
    item["title"] = row[4].as<std::string>();
    item["game_id"] = row[5].as<std::string>();
    item["game_name"] = row[6].as<std::string>();
    if (row[7].is_null()) {
        item["viewer_count"] = nullptr;
    } else {
        item["viewer_count"] = row[7].as<std::int64_t>();
    }
    item["language"] = row[8].as<std::string>();
    item["started_at"] = rfc3339_us(row[9].as<std::int64_t>());
    item["collected_at"] = rfc3339_us(row[10].as<std::int64_t>());
    item["thumbnail_url"] = thumbnail(row[11].as<std::string>());
    item["stream_url"] = row[12].as<std::string>();
    return item;
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

#pragma once
// A channel's row of the channel rankings (/stats/channels/top and /rising) as an answer's
// item: the columns every ranking selects (platform, platform_user_id, login, display_name,
// follower_count) and its figures (watched, live, avg_viewers, peak_viewers). An unknown
// average or peak (NULL: the channel's every count was hidden) is null, as are unknown
// followers.

#include <boost/json/object.hpp>
#include <pqxx/result>

namespace streamscope::api::stats {

boost::json::object channel_item(const pqxx::row& row);

} // namespace streamscope::api::stats

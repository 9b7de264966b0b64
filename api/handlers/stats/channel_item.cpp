#include "api/handlers/stats/channel_item.hpp"

#include "api/handlers/stats/rollup_window.hpp"

namespace streamscope::api::stats {

boost::json::object channel_item(const pqxx::row& row) {
    namespace json = boost::json;
    return {{"platform", row["platform"].as<std::string>()},
            {"channel_id", row["platform_user_id"].as<std::string>()},
            {"username", row["login"].as<std::string>()},
            {"display_name", row["display_name"].as<std::string>()},
            {"hours_watched", hours_of(row["watched"].as<double>())},
            {"hours_streamed", hours_of(row["live"].as<double>())},
            {"avg_viewers", row["avg_viewers"].is_null()
                                ? json::value(nullptr)
                                : json::value(rounded(row["avg_viewers"].as<double>()))},
            {"peak_viewers", row["peak_viewers"].is_null()
                                 ? json::value(nullptr)
                                 : json::value(row["peak_viewers"].as<std::int64_t>())},
            {"followers", row["follower_count"].is_null()
                              ? json::value(nullptr)
                              : json::value(row["follower_count"].as<std::int64_t>())}};
}

} // namespace streamscope::api::stats

#pragma once
// Helix response bodies mapped onto our model, with Boost.JSON's tag_invoke conversions.
// Unknown fields are ignored and field order does not matter (Twitch adds fields without
// notice); a missing or mistyped field we need throws, and the caller treats the body as
// invalid.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/fwd.hpp>
#include <boost/json/value_to.hpp>

#include "common/model/sweep.hpp"

namespace streamscope::twitch {

// Get Streams: one page.
struct streams_page {
    std::vector<model::stream_observation> streams;
    std::optional<std::string> cursor; // nullopt: no `pagination`, or no cursor in it
};

// Get Users: one user as the channel's profile plus its names.
struct user {
    std::string login;
    std::string display_name;
    model::channel_profile profile;
};
struct users_page {
    std::vector<user> users;
};

// Get Games.
struct games_page {
    std::vector<model::game_info> games;
};

// Get Channel Followers, read for its `total` only.
struct followers_total {
    std::int64_t total = 0;
};

// The error body of a Helix or OAuth error response ({"status":..,"message":..}).
struct error_body {
    std::string message;
};

// Get Token.
struct app_token {
    std::string access_token;
    std::int64_t expires_in = 0;
};

// Validate Token.
struct token_info {
    std::string client_id;
    std::int64_t expires_in = 0;
};

// "HTTP 403: invalid client secret": the status and Twitch's message, for log lines and the
// sweep's error (the message is logged, never branched on: Twitch may reword it).
std::string describe_error(unsigned status, std::string_view body);

streams_page tag_invoke(boost::json::value_to_tag<streams_page>, const boost::json::value& v);
users_page tag_invoke(boost::json::value_to_tag<users_page>, const boost::json::value& v);
games_page tag_invoke(boost::json::value_to_tag<games_page>, const boost::json::value& v);
followers_total tag_invoke(boost::json::value_to_tag<followers_total>, const boost::json::value& v);
error_body tag_invoke(boost::json::value_to_tag<error_body>, const boost::json::value& v);
app_token tag_invoke(boost::json::value_to_tag<app_token>, const boost::json::value& v);
token_info tag_invoke(boost::json::value_to_tag<token_info>, const boost::json::value& v);

} // namespace streamscope::twitch

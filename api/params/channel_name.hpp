#pragma once
// How the {login} of /channels/{platform}/{login} names a channel. On Twitch and Kick it is
// the login (a Kick slug), as typed or in lower case. On YouTube it is the channel's @handle,
// with or without the "@", in any case (the collector stores handles in lower case, without
// the "@", in channels.login), or its channel id ("UC" and 22 characters of [A-Za-z0-9_-],
// channels.platform_user_id; a channel without a handle has its id as login too).

#include <string>
#include <string_view>

#include "common/model/platform.hpp"

namespace streamscope::api {

struct channel_name {
    std::string login;      // compared with channels.login as it is and in lower case
    std::string channel_id; // compared with channels.platform_user_id; "" for none
};

// What `text` (the path's login, 1 to 100 bytes) matches on `platform`. No failure: a name
// that matches no channel is the caller's 404.
channel_name parse_channel_name(model::platform platform, std::string_view text);

// Whether `text` has the form of a YouTube channel id: "UC" and 22 of [A-Za-z0-9_-].
bool is_youtube_channel_id(std::string_view text);

} // namespace streamscope::api

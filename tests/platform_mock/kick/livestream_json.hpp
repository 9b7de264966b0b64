#pragma once
// One live stream in the shape of Kick's v2 livestreams item (also what
// /public/v1/users/livestreams returns), and the ways a bad_record fault breaks one:
//
//   {"id":"<stream id>",
//    "broadcaster_user":{"id":<int>,"username":"...","profile_picture":"https://..."},
//    "channel":{"slug":"..."},
//    "category":{"id":<int>,"name":"...","thumbnail":"https://..."},
//    "title":"...","language_code":"en","started_at":"<RFC 3339>","tags":["..."],
//    "thumbnail":"https://...","viewer_count":<int>,"has_mature_content":<bool>}
//
// Stream ids are strings and every other id an integer, as gokick models them. Usernames are the
// world's display names and titles and tags come from the nasty-text pool; a few profile
// pictures and thumbnails are "" (no picture; a thumbnail not made yet).

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

#include "tests/platform_mock/faults.hpp"
#include "tests/platform_mock/world.hpp"

namespace streamscope::platform_mock::kick {

// How a stream without a category shows. Kick's docs do not say. Its API is written in Go,
// and gokick (where the field list comes from) decodes `category` into a struct value, not a
// pointer: a Go server with a value-typed field sends its zero value, so `zero` is the default:
// {"id":0,"name":"","thumbnail":""}. `null` ("category":null) is what a pointer field would
// send, for collectors that want to be sure they cope with both.
enum class no_category_shape { zero, null };

// BCP 47 code of the world's language index (Twitch's "other" becomes "ar").
std::string_view language_code(std::uint8_t language);

// Kick's URL name of a channel: its login with '-' for '_' (unique, as logins are).
std::string slug(const channel& c);

// The broadcaster id as the integer Kick sends.
std::int64_t broadcaster_id(const channel& c);

boost::json::object livestream_json(const world& w, const live_stream& s,
                                    no_category_shape no_category,
                                    const boost::json::storage_ptr& sp = {});

// Breaks `record` (one livestream_json) the way `how` says; `how` is never rotate.
void corrupt(boost::json::object& record, record_corruption how);

} // namespace streamscope::platform_mock::kick

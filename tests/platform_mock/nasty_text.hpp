#pragma once
// Deterministic text for the simulated population: logins, display names, titles,
// descriptions, game names and tags. Much of it is the content a collector must store and
// serve back byte-exact: emoji with ZWJ sequences and skin tones, CJK, RTL text and overrides,
// combining marks, zero-width and astral-plane characters, quotes, backslashes, control
// characters, and text that looks like SQL, CSV formulas or HTML. Always valid UTF-8; never NUL
// (PostgreSQL text cannot hold it).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tests/platform_mock/rng.hpp"

namespace streamscope::platform_mock::text {

// Lowercase a-z, 0-9 and '_', 4 to 25 characters, starting with a letter. Not unique: the
// caller de-duplicates.
std::string login(rng& r);

// Mostly the login with a different capitalisation (as on Twitch); some CJK/RTL names and a
// few nasty ones.
std::string display_name(rng& r, std::string_view login);

// At most 140 code points. Some empty, some shared by many streams, some exactly 140 long,
// some with leading/trailing spaces.
std::string title(rng& r);

// Possibly empty, possibly several lines (\n and \r\n), at most 300 code points.
std::string description(rng& r);

// A unique name per index: well-known categories first, then generated ones.
std::string game_name(rng& r, std::uint32_t index);

// Every tag the world can use; a channel's tags are indices into this list.
std::span<const std::string_view> tag_pool();

// 0 to 6 distinct indices into tag_pool().
std::vector<std::uint16_t> tags(rng& r);

// One of the strings collectors get wrong (emoji sequences, RTL overrides, combining marks,
// control characters, injection look-alikes...), e.g. for free-text tags.
std::string_view nasty_fragment(rng& r);

// Number of code points in valid UTF-8.
std::size_t code_points(std::string_view utf8);

// The longest prefix of valid UTF-8 `s` with at most `limit` code points (never splits one).
std::string_view truncate_code_points(std::string_view s, std::size_t limit);

} // namespace streamscope::platform_mock::text

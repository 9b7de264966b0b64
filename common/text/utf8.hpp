#pragma once
// UTF-8 as PostgreSQL and JSON accept it: the checks shared by what repairs text for an answer
// (common/json/text.hpp) and what refuses a client's text before it reaches a query; and the
// cuts of text that services limit in characters (webhook payloads).

#include <cstddef>
#include <string>
#include <string_view>

namespace streamscope::text {

// The length of the valid UTF-8 sequence at `text[at]` (1 for ASCII), or 0 when it is not one:
// a stray continuation byte, a sequence cut short, an overlong form, a surrogate or a code point
// past U+10FFFF.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

// Whether `text` is valid UTF-8 that PostgreSQL can store as text: it cannot hold U+0000.
bool is_storable_text(std::string_view text);

// `text` with each byte that starts no valid sequence replaced by U+FFFD, as json::quote does:
// the text is then valid UTF-8 (U+0000 stays).
std::string replace_invalid_utf8(std::string_view text);

// How many UTF-16 code units `text` would be: what JavaScript's String length says, and what
// limits given in characters (Discord's) count at most: 2 for a code point past U+FFFF, 1 for
// any other, and 1 for each byte that starts no valid sequence.
std::size_t utf16_length(std::string_view text);

// The longest prefix of `text` of at most `limit` UTF-16 code units (as utf16_length counts)
// that does not end inside a UTF-8 sequence.
std::string_view utf16_prefix(std::string_view text, std::size_t limit);

} // namespace streamscope::text

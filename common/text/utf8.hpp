#pragma once
// UTF-8 as PostgreSQL and JSON accept it: the checks shared by what repairs text for an answer
// (common/json/text.hpp) and what refuses a client's text before it reaches a query.

#include <cstddef>
#include <string_view>

namespace streamscope::text {

// The length of the valid UTF-8 sequence at `text[at]` (1 for ASCII), or 0 when it is not one:
// a stray continuation byte, a sequence cut short, an overlong form, a surrogate or a code point
// past U+10FFFF.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

// Whether `text` is valid UTF-8 that PostgreSQL can store as text: it cannot hold U+0000.
bool is_storable_text(std::string_view text);

} // namespace streamscope::text

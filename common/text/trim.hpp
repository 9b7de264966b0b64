#pragma once
// Text without the blanks around it, as HTTP header values are read (RFC 9110's optional
// whitespace: spaces and tabs).

#include <string_view>

namespace streamscope::text {

// `text` without the spaces and tabs at either end.
std::string_view trim_blanks(std::string_view text);

} // namespace streamscope::text

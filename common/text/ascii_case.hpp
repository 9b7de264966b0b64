#pragma once
// ASCII letters without case, for the protocol words and identifiers that ignore it (URL
// schemes and hosts, HTML doctypes, YouTube handles). Other bytes, UTF-8 included, are left
// as they are.

#include <string>
#include <string_view>

namespace streamscope::text {

// `text` with A-Z as a-z.
std::string ascii_lower(std::string_view text);

// Whether `text` starts with `prefix`, A-Z and a-z alike.
bool starts_with_ignoring_case(std::string_view text, std::string_view prefix);

} // namespace streamscope::text

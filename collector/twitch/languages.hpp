#pragma once
// The stream languages Twitch reports (an ISO 639-1 code, or "other"), and how a sweep splits
// its list by them: the largest languages each on their own, the rest in groups of at most 100
// (Helix's limit of values per parameter). Every code is in exactly one part, so the parts
// together are the whole list.

#include <string>
#include <string_view>
#include <vector>

namespace streamscope::twitch {

// Every code a Twitch stream's `language` may hold.
bool is_stream_language(std::string_view code);

// The parts of a sweep: `chosen` (TWITCH_LANGUAGES) each on its own; with none chosen, every
// stream language in parts as above.
std::vector<std::vector<std::string>> language_parts(const std::vector<std::string>& chosen);

} // namespace streamscope::twitch

#pragma once
// A fingerprint of what a sweep says about a broadcast besides its viewer count: its channel's
// names, its category, title, tags, language, thumbnail, start and mature flag. The write path
// stores it with the broadcast, so that a later sweep finds the broadcasts where anything
// changed by comparing one number, and sends the full text only for those.

#include <cstdint>

#include "common/model/sweep.hpp"

namespace streamscope::db {

// FNV-1a (64 bit) over the fields, each followed by its length so that moving text from one
// field to the next changes the key. Stable across builds and machines: keys are stored. A change
// goes unseen (until the next one) only when the new state's key equals the stored one: one
// chance in 2^64.
std::int64_t stream_state_key(const model::stream_observation& s);

} // namespace streamscope::db

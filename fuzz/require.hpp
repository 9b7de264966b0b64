#pragma once
// How a fuzz target says that an invariant broke: a message, then abort(), which libFuzzer
// reports as a finding and saves the input for.

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace streamscope::fuzz {

inline void require(bool holds, std::string_view invariant) {
    if (!holds) {
        std::fprintf(stderr, "invariant broken: %.*s\n", static_cast<int>(invariant.size()),
                     invariant.data());
        std::abort();
    }
}

} // namespace streamscope::fuzz

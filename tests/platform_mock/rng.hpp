#pragma once
// The mock's only source of randomness: a small, fast generator whose output is the same on
// every platform and standard library (std::uniform_*_distribution is not), so that a seed
// reproduces a world byte for byte.

#include <cmath>
#include <cstdint>
#include <iterator>

namespace streamscope::platform_mock {

// xoshiro256** seeded through splitmix64, as its authors recommend.
class rng {
public:
    explicit rng(std::uint64_t seed) {
        for (auto& word : state_) {
            seed += 0x9e3779b97f4a7c15ULL;
            word = mix(seed);
        }
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    // Uniform in [0, n); n > 0. The modulo bias is far below anything a test could notice.
    std::uint64_t below(std::uint64_t n) { return next() % n; }

    // Uniform in [lo, hi].
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }

    // Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    bool chance(double p) { return unit() < p; }

    // Standard normal (Box-Muller; the second value is thrown away for simplicity).
    double normal() {
        const double u1 = 1.0 - unit(); // (0, 1]: log(0) would be -inf
        const double u2 = unit();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

    // A uniformly chosen element of a non-empty array or container.
    template <typename Range>
    const auto& pick(const Range& items) {
        return items[below(std::size(items))];
    }

    // splitmix64's finaliser: also a good 64-bit hash for deriving per-item seeds.
    static std::uint64_t mix(std::uint64_t z) {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

    std::uint64_t state_[4];
};

} // namespace streamscope::platform_mock

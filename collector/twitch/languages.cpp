#include "collector/twitch/languages.hpp"

#include <algorithm>
#include <array>

namespace streamscope::twitch {
namespace {

// ISO 639-1, and Twitch's "other" (the API reference: "an ISO 639-1 two-letter language code or
// other if the stream uses a language not in the list of supported stream languages").
constexpr std::array<std::string_view, 184> stream_languages{
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
    "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
    "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
    "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
    "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi",
    "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
    "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
    "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu"};

// Twitch's largest stream languages, most streams first: each paged on its own. A part's
// skipped streams grow with its size times the time it takes to page, so that splitting off the
// largest ones cuts most of them (with a fifth of the streams English, by far the largest, the
// sum of squared shares falls from 1 to about a fifth).
constexpr std::array<std::string_view, 9> largest{"en", "es", "ja", "pt",   "ru",
                                                  "de", "ko", "fr", "other"};

// Helix's limit of values for one parameter.
constexpr std::size_t max_values = 100;

} // namespace

bool is_stream_language(std::string_view code) {
    return code == "other" || std::find(stream_languages.begin(), stream_languages.end(), code) !=
                                  stream_languages.end();
}

std::vector<std::vector<std::string>> language_parts(const std::vector<std::string>& chosen) {
    std::vector<std::vector<std::string>> parts;
    if (!chosen.empty()) {
        for (const std::string& code : chosen) {
            parts.push_back({code});
        }
        return parts;
    }
    for (const std::string_view code : largest) {
        parts.push_back({std::string(code)});
    }
    std::vector<std::string> rest;
    for (const std::string_view code : stream_languages) {
        if (std::find(largest.begin(), largest.end(), code) != largest.end()) {
            continue;
        }
        if (rest.size() == max_values) {
            parts.push_back(std::move(rest));
            rest.clear();
        }
        rest.emplace_back(code);
    }
    if (!rest.empty()) {
        parts.push_back(std::move(rest));
    }
    return parts;
}

} // namespace streamscope::twitch

#pragma once
// The spool's file format: one sweep as JSON Lines, written and read one line at a time so that
// a sweep of 100,000 streams (50-60 MB of text) never exists as one JSON document in memory.
//
//   line 1   {"format":"streamscope-sweep","version":1, the sweep's scalar fields}
//   then     one array per record, tagged by its first element:
//            ["s", ...] stream, ["p", ...] channel profile, ["f", ...] follower count,
//            ["g", ...] game, ["e", ...] ended stream
//   last     ["end", <number of record lines>, <bytes before this line>]
//
// Times are integer microseconds since the epoch (exact, unlike a double). JSON escapes every
// control character in a string, so a title with a newline stays on its line, and strings
// round-trip byte for byte, even bytes that are not UTF-8. The trailer tells a complete file from
// one cut short at a line boundary.

#include <functional>
#include <istream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/model/sweep.hpp"

namespace streamscope::collector {

// A spool file that does not hold a whole sweep: cut short, edited, or not a spool file. The
// message names the file and the line ("/var/spool/x.sweep:12: ...").
class spool_corrupt : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// "complete", "partial" or "failed", as model::to_string writes them; nullopt for anything else.
std::optional<model::sweep_status> parse_sweep_status(std::string_view text);

// Hands the encoding to `write` one line at a time, each with its '\n'. Stops and returns false
// as soon as `write` returns false (the spool's size limit), true when every line was written.
bool encode_sweep(const model::sweep& sweep, const std::function<bool(std::string_view)>& write);

// The whole encoding in one string: for tests and small sweeps.
std::string encode_sweep(const model::sweep& sweep);

// Reads a sweep written by encode_sweep. Throws spool_corrupt naming `name` and the line when a
// line is not what the format says, the trailer is missing or disagrees, or anything follows it;
// std::runtime_error when the stream itself fails.
model::sweep decode_sweep(std::istream& in, std::string_view name);

} // namespace streamscope::collector

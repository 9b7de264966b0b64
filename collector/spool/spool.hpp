#pragma once
// The collector's spool: sweeps the database could not take, kept as files in a local directory
// until they are replayed. Each sweep is one file (see sweep_codec.hpp), written so that a crash
// or a power cut leaves either the whole file or no file under its final name: a replay never
// sees half a sweep. Replay takes the files oldest first and removes each only after its commit,
// so a crash during replay at worst writes a sweep twice, which the write path ignores.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "collector/spool/sweep_codec.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::collector {

class spool {
public:
    // Creates `dir` if needed. Scans it: leftover temporary files (a write cut short by a crash
    // or kill -9) are reported with spdlog::warn (one line that says what happened and that the
    // sweep in it is lost) and deleted.
    spool(std::filesystem::path dir, std::uint64_t max_bytes);

    struct entry {
        std::filesystem::path path;
        std::uint64_t bytes = 0;
    };
    enum class put_result { stored, full };

    // Writes the sweep durably: to a temporary file in dir, fsync, rename to its final name,
    // fsync the directory. Returns full (and leaves nothing behind) when the spool would exceed
    // max_bytes. Final names sort in sweep order: <started_at as YYYYMMDDTHHMMSS.ffffffZ>-
    // <platform>.sweep; the same sweep put twice replaces its file. Throws std::system_error with
    // the path when the disk write fails.
    put_result put(const model::sweep& sweep);

    std::vector<entry> list() const; // oldest first
    // The sweeps of one platform, oldest first: each platform replays its own, in order.
    std::vector<entry> list(model::platform platform) const;
    // Throws spool_corrupt when the file does not hold a whole sweep, std::system_error when it
    // cannot be opened.
    model::sweep load(const entry& e) const;
    void remove(const entry& e); // after the sweep is committed
    // Moves a corrupt file to dir/corrupt/ so it is kept for a person but never replayed again.
    // The caller logs why.
    void quarantine(const entry& e);

    std::uint64_t bytes() const; // total of the .sweep files
    std::size_t files() const;
    const std::filesystem::path& directory() const { return dir_; }

private:
    std::filesystem::path dir_;
    std::uint64_t max_bytes_;
};

// The file name a sweep is spooled under, e.g. 20261125T100000.123456Z-twitch.sweep.
std::string spool_file_name(const model::sweep& sweep);

} // namespace streamscope::collector

#include "collector/spool/spool.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <system_error>
#include <unistd.h>
#include <utility>

#include <spdlog/spdlog.h>

namespace streamscope::collector {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view sweep_extension = ".sweep";
constexpr std::string_view temporary_extension = ".tmp";
constexpr std::string_view corrupt_directory = "corrupt";

// Lines are gathered into chunks of this size before a write(2): few system calls, and memory
// for one chunk instead of the whole 50-60 MB file.
constexpr std::size_t write_chunk_bytes = 1 << 20;

[[noreturn]] void throw_errno(const std::string& what, const fs::path& path) {
    throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

// A file descriptor that is closed when it goes out of scope.
class descriptor {
public:
    explicit descriptor(int fd) : fd_(fd) {}
    descriptor(const descriptor&) = delete;
    descriptor& operator=(const descriptor&) = delete;
    ~descriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }

    int get() const { return fd_; }
    // Closes now, so that the error close(2) can report (a delayed write failing) is seen.
    void close(const fs::path& path) {
        const int fd = std::exchange(fd_, -1);
        if (::close(fd) != 0) {
            throw_errno("closing", path);
        }
    }

private:
    int fd_;
};

void write_all(int fd, std::string_view data, const fs::path& path) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_errno("writing", path);
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

// Makes a rename in `dir` durable: without it a power cut can forget the new name even though
// the file's data reached the disk.
void sync_directory(const fs::path& dir) {
    const descriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) {
        throw_errno("opening the directory", dir);
    }
    if (::fsync(fd.get()) != 0) {
        throw_errno("syncing the directory", dir);
    }
}

// The temporary file a sweep is written to; deleted unless it was renamed to its final name.
class temporary_file {
public:
    explicit temporary_file(fs::path path)
        : path_(std::move(path)),
          fd_(::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) {
        if (fd_.get() < 0) {
            throw_errno("creating", path_);
        }
    }
    temporary_file(const temporary_file&) = delete;
    temporary_file& operator=(const temporary_file&) = delete;
    ~temporary_file() {
        if (!renamed_) {
            std::error_code ignored; // already failing or full: the first error is the one
            fs::remove(path_, ignored);
        }
    }

    void write(std::string_view data) { write_all(fd_.get(), data, path_); }

    void commit(const fs::path& final_path) {
        if (::fsync(fd_.get()) != 0) {
            throw_errno("syncing", path_);
        }
        fd_.close(path_);
        if (::rename(path_.c_str(), final_path.c_str()) != 0) {
            throw_errno("renaming " + path_.string() + " to", final_path);
        }
        renamed_ = true;
    }

private:
    fs::path path_;
    descriptor fd_;
    bool renamed_ = false;
};

} // namespace

std::string spool_file_name(const model::sweep& sweep) {
    using namespace std::chrono;
    const auto day = floor<days>(sweep.started_at);
    const year_month_day ymd{day};
    const hh_mm_ss time_of_day{sweep.started_at - day};
    // Fixed width, most significant first: the names sort as the sweeps' start times do.
    char buffer[40];
    const int n =
        std::snprintf(buffer, sizeof buffer, "%04d%02u%02uT%02d%02d%02d.%06lldZ-", int(ymd.year()),
                      unsigned(ymd.month()), unsigned(ymd.day()), int(time_of_day.hours().count()),
                      int(time_of_day.minutes().count()), int(time_of_day.seconds().count()),
                      static_cast<long long>(time_of_day.subseconds().count()));
    return std::string(buffer, static_cast<std::size_t>(n)) +
           std::string(model::to_string(sweep.source)) + std::string(sweep_extension);
}

spool::spool(fs::path dir, std::uint64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {
    fs::create_directories(dir_);
    for (const fs::directory_entry& item : fs::directory_iterator(dir_)) {
        if (item.is_regular_file() && item.path().extension() == temporary_extension) {
            spdlog::warn("spool: {} is a sweep whose write was cut short (crash or kill); the "
                         "sweep in it is lost, deleting the file",
                         item.path().string());
            fs::remove(item.path());
        }
    }
}

spool::put_result spool::put(const model::sweep& sweep) {
    const fs::path final_path = dir_ / spool_file_name(sweep);
    std::uint64_t others = 0;
    for (const entry& e : list()) {
        others += e.path == final_path ? 0 : e.bytes; // the same sweep again replaces its file
    }
    if (others > max_bytes_) {
        return put_result::full;
    }
    const std::uint64_t room = max_bytes_ - others;

    // The sweep's size is known only once it is encoded, and encoding it twice would double the
    // work: the write stops as soon as it outgrows the room, and the temporary file goes.
    temporary_file file(fs::path(final_path) += temporary_extension);
    std::string chunk;
    chunk.reserve(write_chunk_bytes);
    std::uint64_t encoded = 0;
    const bool fits = encode_sweep(sweep, [&](std::string_view line) {
        encoded += line.size();
        if (encoded > room) {
            return false;
        }
        if (chunk.size() + line.size() > write_chunk_bytes) {
            file.write(chunk);
            chunk.clear();
        }
        chunk.append(line);
        return true;
    });
    if (!fits) {
        return put_result::full;
    }
    file.write(chunk);
    file.commit(final_path);
    sync_directory(dir_);
    return put_result::stored;
}

std::vector<spool::entry> spool::list() const {
    std::vector<entry> entries;
    for (const fs::directory_entry& item : fs::directory_iterator(dir_)) {
        if (item.is_regular_file() && item.path().extension() == sweep_extension) {
            entries.push_back({item.path(), item.file_size()});
        }
    }
    std::sort(entries.begin(), entries.end(),
              [](const entry& a, const entry& b) { return a.path.filename() < b.path.filename(); });
    return entries;
}

std::vector<spool::entry> spool::list(model::platform platform) const {
    // Appends only: GCC 12 warns about "-" + std::string(...) with a false -Wrestrict.
    std::string suffix = "-";
    suffix.append(model::to_string(platform)).append(sweep_extension);
    std::vector<entry> entries = list();
    std::erase_if(entries,
                  [&](const entry& e) { return !e.path.filename().string().ends_with(suffix); });
    return entries;
}

model::sweep spool::load(const entry& e) const {
    std::ifstream in(e.path, std::ios::binary);
    if (!in) {
        throw std::system_error(errno, std::generic_category(), "opening " + e.path.string());
    }
    return decode_sweep(in, e.path.string());
}

void spool::remove(const entry& e) {
    // No directory fsync: should a power cut bring the file back, the replay writes the sweep
    // again and the write path ignores a sweep it already has.
    fs::remove(e.path);
}

void spool::quarantine(const entry& e) {
    const fs::path corrupt = dir_ / corrupt_directory;
    fs::create_directories(corrupt);
    fs::rename(e.path, corrupt / e.path.filename());
}

std::uint64_t spool::bytes() const {
    std::uint64_t total = 0;
    for (const entry& e : list()) {
        total += e.bytes;
    }
    return total;
}

std::size_t spool::files() const {
    return list().size();
}

} // namespace streamscope::collector

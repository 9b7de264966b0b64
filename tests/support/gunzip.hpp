#pragma once
// Decompresses a gzip body in tests (zlib), to check what the API sends when gzip is accepted.

#include <stdexcept>
#include <string>
#include <string_view>
#include <zlib.h>

namespace streamscope::testing {

inline std::string gunzip(std::string_view data) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) {
        throw std::runtime_error("gunzip: inflateInit2 failed");
    }
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buffer[16384];
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buffer);
        z.avail_out = sizeof buffer;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - z.avail_out);
    }
    const bool complete = rc == Z_STREAM_END && z.avail_in == 0;
    inflateEnd(&z);
    if (!complete) {
        throw std::runtime_error("gunzip: not one complete gzip member");
    }
    return out;
}

} // namespace streamscope::testing

#pragma once
// gzip content coding (RFC 9110 8.4.1.3) for answers whose client accepts it: JSON and CSV
// shrink to a fifth or less, which matters for large lists and exports over slow links.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace streamscope::http {

// Smaller bodies are sent as they are: the gzip header and trailer alone are 18 bytes, and
// compressing costs more time than a few hundred bytes take to send.
inline constexpr std::size_t gzip_min_bytes = 1024;

// Whether an Accept-Encoding header value allows gzip: named (or `*`) without q=0.
bool accepts_gzip(std::string_view accept_encoding);

// `data` compressed as one gzip member.
std::string gzip(std::string_view data);

// One gzip member written a piece at a time, for bodies sent in chunks: each call returns the
// compressed bytes ready so far (possibly none), finish() the rest and the trailer.
class gzip_stream {
public:
    gzip_stream();
    ~gzip_stream();
    gzip_stream(const gzip_stream&) = delete;
    gzip_stream& operator=(const gzip_stream&) = delete;

    std::string write(std::string_view data);
    std::string finish();

private:
    struct state;
    std::unique_ptr<state> state_;
};

} // namespace streamscope::http

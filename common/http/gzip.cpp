#include "common/http/gzip.hpp"

#include <array>
#include <charconv>
#include <climits>
#include <stdexcept>
#include <zlib.h>

#include <boost/beast/core/string.hpp>

#include "common/text/trim.hpp"

namespace streamscope::http {
namespace {

// zlib's default trade-off: level 6 compresses JSON about as well as 9 at half the time.
constexpr int level = 6;
constexpr int gzip_window_bits = 15 + 16; // +16: a gzip header and trailer instead of zlib's
constexpr int memory_level = 8;

// The weight of one Accept-Encoding element ("gzip;q=0.5"): 1 when none is given.
double weight(std::string_view params) {
    for (;;) {
        const auto semicolon = params.find(';');
        const std::string_view param = text::trim_blanks(params.substr(0, semicolon));
        if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
            double q = 0;
            const std::string_view value = param.substr(2);
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q);
            return ec == std::errc{} ? q : 0;
        }
        if (semicolon == std::string_view::npos) {
            return 1;
        }
        params.remove_prefix(semicolon + 1);
    }
}

void deflate_into(z_stream& z, std::string_view data, int flush, std::string& out) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    std::array<char, 16 * 1024> buffer{};
    do {
        z.next_out = reinterpret_cast<Bytef*>(buffer.data());
        z.avail_out = static_cast<uInt>(buffer.size());
        const int rc = deflate(&z, flush);
        if (rc == Z_STREAM_ERROR) {
            throw std::runtime_error("gzip: deflate failed");
        }
        out.append(buffer.data(), buffer.size() - z.avail_out);
    } while (z.avail_out == 0 || z.avail_in > 0);
}

} // namespace

bool accepts_gzip(std::string_view accept_encoding) {
    bool gzip_named = false;
    double gzip_q = 0;
    double any_q = 0;
    bool any_named = false;
    for (;;) {
        const auto comma = accept_encoding.find(',');
        const std::string_view element = accept_encoding.substr(0, comma);
        const auto semicolon = element.find(';');
        const std::string_view coding = text::trim_blanks(element.substr(0, semicolon));
        const double q =
            semicolon == std::string_view::npos ? 1 : weight(element.substr(semicolon + 1));
        if (boost::beast::iequals(coding, "gzip") || boost::beast::iequals(coding, "x-gzip")) {
            gzip_named = true;
            gzip_q = q;
        } else if (coding == "*") {
            any_named = true;
            any_q = q;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        accept_encoding.remove_prefix(comma + 1);
    }
    return gzip_named ? gzip_q > 0 : any_named && any_q > 0;
}

struct gzip_stream::state {
    z_stream z{};
};

gzip_stream::gzip_stream() : state_(std::make_unique<state>()) {
    if (deflateInit2(&state_->z, level, Z_DEFLATED, gzip_window_bits, memory_level,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("gzip: out of memory");
    }
}

gzip_stream::~gzip_stream() {
    deflateEnd(&state_->z);
}

std::string gzip_stream::write(std::string_view data) {
    std::string out;
    // zlib counts input in 32-bit units.
    while (data.size() > UINT_MAX / 2) {
        deflate_into(state_->z, data.substr(0, UINT_MAX / 2), Z_NO_FLUSH, out);
        data.remove_prefix(UINT_MAX / 2);
    }
    deflate_into(state_->z, data, Z_NO_FLUSH, out);
    return out;
}

std::string gzip_stream::finish() {
    std::string out;
    deflate_into(state_->z, {}, Z_FINISH, out);
    return out;
}

std::string gzip(std::string_view data) {
    gzip_stream stream;
    std::string out = stream.write(data);
    out += stream.finish();
    return out;
}

} // namespace streamscope::http

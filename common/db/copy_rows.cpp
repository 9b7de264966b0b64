#include "common/db/copy_rows.hpp"

#include <charconv>

namespace streamscope::db {
namespace {

// A block of rows per message: large enough that per-message costs vanish, small enough to
// stay in cache.
constexpr std::size_t block_bytes = 64 * 1024;

// What COPY's text format needs in place of a byte: the letter to put after a backslash, or
// one of these two.
constexpr char keep = 1; // the byte as it is
constexpr char drop = 0; // nothing: NUL, which no PostgreSQL text can hold (one NUL in a title
                         // must not make every attempt to store the sweep fail)

char escape_letter(char c) {
    switch (c) {
    case '\\':
        return '\\';
    case '\t':
        return 't';
    case '\n':
        return 'n';
    case '\r':
        return 'r';
    case '\0':
        return drop;
    default:
        return keep;
    }
}

} // namespace

void append_copy_field(std::string& out, std::string_view value) {
    std::size_t plain = 0; // start of the run of bytes that need no escape
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char letter = escape_letter(value[i]);
        if (letter == keep) {
            continue;
        }
        out.append(value.substr(plain, i - plain));
        if (letter != drop) {
            out += '\\';
            out += letter;
        }
        plain = i + 1;
    }
    out.append(value.substr(plain));
}

void append_array_literal(std::string& out, const std::vector<std::string>& items) {
    out += '{';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        out += '"';
        for (char c : items[i]) {
            if (c == '"' || c == '\\') {
                out += '\\';
            }
            out += c;
        }
        out += '"';
    }
    out += '}';
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
copy_rows::copy_rows(pqxx::transaction_base& tx, const std::string& table) : stream_(tx, table) {
    block_.reserve(block_bytes + 4096);
}

copy_rows::copy_rows(pqxx::transaction_base& tx, const std::string& table,
                     const std::vector<std::string>& columns)
    : stream_(tx, table, columns.begin(), columns.end()) {
    block_.reserve(block_bytes + 4096);
}
#pragma GCC diagnostic pop

void copy_rows::separate() {
    if (row_started_) {
        block_ += '\t';
    }
    row_started_ = true;
}

copy_rows& copy_rows::text(std::string_view value) {
    separate();
    append_copy_field(block_, value);
    return *this;
}

copy_rows& copy_rows::number(std::int64_t value) {
    separate();
    char digits[24];
    const auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
    block_.append(digits, end);
    return *this;
}

copy_rows& copy_rows::boolean(bool value) {
    separate();
    block_ += value ? 't' : 'f';
    return *this;
}

copy_rows& copy_rows::null() {
    separate();
    block_ += "\\N";
    return *this;
}

copy_rows& copy_rows::text_array(const std::vector<std::string>& items) {
    array_.clear();
    append_array_literal(array_, items);
    return text(array_);
}

void copy_rows::end_row() {
    block_ += '\n';
    row_started_ = false;
    ++rows_in_block_;
    if (block_.size() >= block_bytes) {
        flush();
    }
}

// COPY data is a byte stream: one message may hold many rows. write_raw_line adds the newline
// of the block's last row itself.
void copy_rows::flush() {
    if (rows_in_block_ == 0) {
        return;
    }
    block_.pop_back();
    stream_.write_raw_line(block_);
    block_.clear();
    rows_in_block_ = 0;
}

void copy_rows::complete() {
    flush();
    stream_.complete();
}

} // namespace streamscope::db

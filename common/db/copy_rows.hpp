#pragma once
// Rows for COPY ... FROM STDIN in PostgreSQL's text format, written straight into a buffer and
// sent in blocks of many rows. pqxx::stream_to's tuple path escapes field by field through
// temporary strings and sends each row as a message of its own: for a sweep that cost the
// collector more CPU than the server spent on the COPY.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/tablewriter>
#include <pqxx/transaction_base>

namespace streamscope::db {

// Appends `value` as one field of COPY's text format: backslash, tab, newline and carriage
// return are escaped, NUL bytes dropped (PostgreSQL text cannot hold them); every other byte
// is sent as it is (COPY takes the client encoding).
void append_copy_field(std::string& out, std::string_view value);

// Appends `items` as a PostgreSQL array literal, {"a","b"}, each element quoted with its quotes
// and backslashes escaped; COPY's own escaping still applies to the result.
void append_array_literal(std::string& out, const std::vector<std::string>& items);

class copy_rows {
public:
    // Starts COPY into `table` (all columns, in order).
    copy_rows(pqxx::transaction_base& tx, const std::string& table);
    // Starts COPY into these `columns` of `table`, in this order; the others take defaults.
    copy_rows(pqxx::transaction_base& tx, const std::string& table,
              const std::vector<std::string>& columns);

    copy_rows& text(std::string_view value);
    copy_rows& number(std::int64_t value);
    copy_rows& boolean(bool value);
    copy_rows& null();
    copy_rows& text_array(const std::vector<std::string>& items);
    template <typename T>
    copy_rows& optional(const std::optional<T>& value) {
        return value ? add(*value) : null();
    }
    void end_row();

    // Sends what is left and ends the COPY; the rows are not stored without it.
    void complete();

private:
    copy_rows& add(std::string_view value) { return text(value); }
    copy_rows& add(std::int64_t value) { return number(value); }
    void separate();
    void flush();

    // pqxx 6.4 sends raw COPY data only through the deprecated tablewriter (stream_to keeps
    // write_raw_line private); its own, deprecated, escaping is not used.
    pqxx::tablewriter stream_;
    std::string block_;
    std::string array_; // an array literal before its COPY escaping
    bool row_started_ = false;
    std::size_t rows_in_block_ = 0;
};

} // namespace streamscope::db

#include "common/metrics/text_writer.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace streamscope::metrics {

std::string format_value(double value) {
    if (std::isnan(value)) {
        return "NaN";
    }
    if (std::isinf(value)) {
        return value > 0 ? "+Inf" : "-Inf";
    }
    // The shortest text that reads back as the same double: exact, and no trailing zeros.
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    if (ec != std::errc{}) {
        return "NaN"; // cannot happen with 32 bytes; a bad sample beats an exception here
    }
    return std::string(buf, end);
}

std::string format_value(std::int64_t value) {
    return std::to_string(value);
}

std::string format_value(std::uint64_t value) {
    return std::to_string(value);
}

std::string escape_label(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

void text_writer::family(std::string_view name, std::string_view type, std::string_view help) {
    out_.append("# HELP ").append(prefix_).append(name).append(" ").append(help).append("\n");
    out_.append("# TYPE ").append(prefix_).append(name).append(" ").append(type).append("\n");
}

void text_writer::write_name(std::string_view name, std::initializer_list<label> labels) {
    out_.append(prefix_).append(name);
    if (labels.size() > 0) {
        char separator = '{';
        for (const auto& [label_name, value] : labels) {
            out_ += separator;
            out_.append(label_name).append("=\"").append(escape_label(value)).append("\"");
            separator = ',';
        }
        out_ += '}';
    }
    out_ += ' ';
}

} // namespace streamscope::metrics

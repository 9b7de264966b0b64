#pragma once
// The Prometheus text exposition format 0.0.4, written one metric family at a time: the one
// writer behind both binaries' /metrics.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace streamscope::metrics {

using label = std::pair<std::string_view, std::string_view>; // name, value

// A sample's value as the format wants it: whole numbers as they are, doubles in the shortest
// text that reads back as the same double, NaN, +Inf and -Inf spelled out.
std::string format_value(double value);
std::string format_value(std::int64_t value);
std::string format_value(std::uint64_t value);

// A label value with backslash, double quote and line feed escaped, as the format requires.
std::string escape_label(std::string_view value);

class text_writer {
public:
    // Every family and sample name gets `prefix` in front ("streamscope_collector_").
    explicit text_writer(std::string_view prefix = {}) : prefix_(prefix) {}

    // The # HELP and # TYPE lines. Every sample of a family must follow its own family line.
    // `help` is ours: it holds neither backslashes nor line feeds.
    void family(std::string_view name, std::string_view type, std::string_view help);

    template <typename Value>
    void sample(std::string_view name, Value value) {
        sample(name, {}, value);
    }
    template <typename Value>
    void sample(std::string_view name, std::initializer_list<label> labels, Value value) {
        write_name(name, labels);
        out_ += format_value(value);
        out_ += '\n';
    }

    // The text so far; the writer is empty afterwards.
    std::string take() { return std::move(out_); }

private:
    void write_name(std::string_view name, std::initializer_list<label> labels);

    std::string_view prefix_;
    std::string out_;
};

} // namespace streamscope::metrics

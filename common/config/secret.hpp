#pragma once
// A value that must never reach a log line: it has no stream operator and no formatter, and
// reading it takes a call named for what it does.

#include <string>
#include <utility>

namespace streamscope::config {

class secret {
public:
    secret() = default;
    explicit secret(std::string value) : value_(std::move(value)) {}

    // For the one place that sends it (an HTTP form body, a libpq connection string).
    const std::string& reveal() const { return value_; }
    bool empty() const { return value_.empty(); }

private:
    std::string value_;
};

} // namespace streamscope::config

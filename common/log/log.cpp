#include "common/log/log.hpp"

#include <memory>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace streamscope::log {
namespace {

// %* in the pattern: the message as a JSON string body (quotes, backslashes, control
// characters escaped), so that every line stays one valid JSON object.
class json_message_flag : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        static constexpr char hex[] = "0123456789abcdef";
        for (char c : msg.payload) {
            switch (c) {
            case '"':
                dest.append(std::string_view("\\\""));
                break;
            case '\\':
                dest.append(std::string_view("\\\\"));
                break;
            case '\n':
                dest.append(std::string_view("\\n"));
                break;
            case '\r':
                dest.append(std::string_view("\\r"));
                break;
            case '\t':
                dest.append(std::string_view("\\t"));
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    const char esc[] = {'\\', 'u', '0', '0', hex[(c >> 4) & 0xf], hex[c & 0xf]};
                    dest.append(esc, esc + sizeof esc);
                } else {
                    dest.push_back(c);
                }
            }
        }
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<json_message_flag>();
    }
};

} // namespace

boost::system::result<format, config::invalid_setting> parse_format(std::string_view value) {
    if (value == "text") {
        return format::text;
    }
    if (value == "json") {
        return format::json;
    }
    return config::invalid_setting{"LOG_FORMAT must be text or json, not '" + std::string(value) +
                                   "'"};
}

boost::system::result<int, config::invalid_setting> parse_level(std::string_view value) {
    const auto level = spdlog::level::from_str(std::string(value));
    // from_str maps anything unknown to off; accept off only when it was asked for.
    if (level == spdlog::level::off && value != "off") {
        return config::invalid_setting{
            "LOG_LEVEL must be one of trace, debug, info, warn, error, critical, off; not '" +
            std::string(value) + "'"};
    }
    return static_cast<int>(level);
}

void init(std::string_view program, int level, format fmt) {
    auto logger = std::make_shared<spdlog::logger>(
        std::string(program), std::make_shared<spdlog::sinks::stderr_sink_mt>());
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    if (fmt == format::json) {
        formatter->add_flag<json_message_flag>('*').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","program":"%n","message":"%*"})");
    } else {
        formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %n: %v");
    }
    logger->set_formatter(std::move(formatter));
    logger->set_level(static_cast<spdlog::level::level_enum>(level));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(std::move(logger));
}

} // namespace streamscope::log

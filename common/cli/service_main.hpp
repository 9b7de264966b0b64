#pragma once
// The start of both binaries' main(): settings, --help, --version, the command word, and the
// one start-up error path (a line per problem on stderr, exit code 2).

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/config/service_settings.hpp"

namespace streamscope::cli {

struct program_info {
    std::string_view name;                      // streamscope-collector
    std::string_view usage;                     // the usage lines of --help
    std::span<const std::string_view> commands; // the command words it accepts
    std::string_view default_command = {};      // when no command word is given; empty: required
    std::string_view command_without_database = {}; // a command that needs no DATABASE_URL
    // Commands that take words of their own after them (`keys revoke ID`); the others take none.
    std::span<const std::string_view> commands_with_arguments = {};
    // Validates the program's own settings for `command`, appending one line per problem, so
    // that every problem is reported together before anything starts.
    std::function<void(std::string_view command, const config::settings&,
                       std::vector<std::string>& problems)>
        load_own_settings = {};
};

struct invocation {
    std::string command;
    std::vector<std::string> arguments; // the words after a command that takes them
    config::service_settings settings;
};

// Returns what to run, or the exit code when there is nothing to run (help, version, bad
// settings). Initialises logging when it returns an invocation.
std::variant<invocation, int> start(const program_info& program,
                                    std::span<const config::option> table, int argc,
                                    const char* const* argv);

} // namespace streamscope::cli

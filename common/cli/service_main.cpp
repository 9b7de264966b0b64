#include "common/cli/service_main.hpp"

#include <algorithm>
#include <iostream>

#include "common/cli/exit_codes.hpp"
#include "common/version.hpp"

namespace streamscope::cli {

std::variant<invocation, int> start(const program_info& program,
                                    std::span<const config::option> table, int argc,
                                    const char* const* argv) {
    std::vector<std::string> problems;
    const auto s = config::settings::load(argc, argv, table, problems);
    if (s.command().help) {
        std::cout << config::render_help(program.usage, table);
        return exit_ok;
    }
    if (s.command().version) {
        std::cout << program.name << ' ' << streamscope::version << '\n';
        return exit_ok;
    }
    const auto& words = s.command().positional;
    std::string command;
    const auto takes_arguments = [&](const std::string& word) {
        return std::find(program.commands_with_arguments.begin(),
                         program.commands_with_arguments.end(),
                         word) != program.commands_with_arguments.end();
    };
    if (words.empty() && !program.default_command.empty()) {
        command = program.default_command;
    } else if (words.empty()) {
        problems.push_back("no command given (see --help)");
    } else if (std::find(program.commands.begin(), program.commands.end(), words[0]) ==
               program.commands.end()) {
        problems.push_back("unknown command '" + words[0] + "' (see --help)");
    } else if (words.size() > 1 && !takes_arguments(words[0])) {
        problems.push_back("unexpected argument '" + words[1] + "' (see --help)");
    } else {
        command = words[0];
    }
    auto settings = config::load_service_settings(
        s, problems, command.empty() || command != program.command_without_database);
    if (program.load_own_settings && !command.empty()) {
        program.load_own_settings(command, s, problems);
    }
    if (!problems.empty()) {
        for (const std::string& p : problems) {
            std::cerr << program.name << ": " << p << '\n';
        }
        return exit_bad_config;
    }
    log::init(program.name, settings->log_level, settings->log_format);
    std::vector<std::string> arguments;
    if (!words.empty() && takes_arguments(command)) {
        arguments.assign(words.begin() + 1, words.end());
    }
    return invocation{std::move(command), std::move(arguments), std::move(*settings)};
}

} // namespace streamscope::cli

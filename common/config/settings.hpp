#pragma once
// Raw configuration values from the command line, the environment and a .env file, in that
// order of precedence, checked against one option table per binary. Typed parsing and
// validation belong to each binary's config loader; this layer only finds strings.

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace streamscope::config {

// One setting. `env` is its canonical name (DATABASE_URL); its flag is derived from it
// (--database-url). The table is plain data so that --help and the loader cannot disagree.
struct option {
    std::string_view env;
    std::string_view default_value; // shown in --help; empty when there is none
    std::string_view help;
    // A switch takes no value: `--once` sets it to "true" (`--once=false` also works).
    bool is_switch = false;
};

// One binary's table from the shared options and its own.
template <std::size_t A, std::size_t B>
constexpr std::array<option, A + B> join_options(const std::array<option, A>& first,
                                                 const std::array<option, B>& second) {
    std::array<option, A + B> out{};
    for (std::size_t i = 0; i < A; ++i) {
        out[i] = first[i];
    }
    for (std::size_t i = 0; i < B; ++i) {
        out[A + i] = second[i];
    }
    return out;
}

// Command-line words that are not options: the subcommand and its arguments.
struct command_line {
    std::vector<std::string> positional;
    bool help = false;
    bool version = false;
};

class settings {
public:
    // Reads flags from argv (skipping argv[0]), then the environment, then the .env file named
    // by --env-file or ENV_FILE (default ./.env, silently absent). Every problem (unknown flag,
    // flag without value, unreadable or malformed .env) is appended to `problems`.
    static settings load(int argc, const char* const* argv, std::span<const option> table,
                         std::vector<std::string>& problems);

    // The value of a setting; the table's default when nothing set it; nullopt when it has no
    // default either. An empty string set explicitly counts as set.
    std::optional<std::string> get(std::string_view env) const;

    const command_line& command() const { return command_; }

private:
    std::map<std::string, std::string, std::less<>> values_;
    std::span<const option> table_;
    command_line command_;
};

// "DATABASE_URL" -> "--database-url".
std::string flag_name(std::string_view env);

// Parses .env text: KEY=VALUE lines, `#` comments, blank lines, an optional `export ` prefix,
// values optionally in single or double quotes. Later keys win. Malformed lines are reported
// with their line number and skipped.
std::map<std::string, std::string, std::less<>> parse_dotenv(std::string_view text,
                                                             std::vector<std::string>& problems);

// The --help text: usage lines, then every option with its flag, default and help.
std::string render_help(std::string_view usage, std::span<const option> table);

} // namespace streamscope::config

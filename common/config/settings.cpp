#include "common/config/settings.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace streamscope::config {
namespace {

const option* find_by_flag(std::span<const option> table, std::string_view flag) {
    auto it = std::find_if(table.begin(), table.end(),
                           [&](const option& o) { return flag_name(o.env) == flag; });
    return it == table.end() ? nullptr : &*it;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

bool valid_key(std::string_view key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

} // namespace

std::string flag_name(std::string_view env) {
    std::string flag = "--";
    for (char c : env) {
        flag += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return flag;
}

std::map<std::string, std::string, std::less<>> parse_dotenv(std::string_view text,
                                                             std::vector<std::string>& problems) {
    std::map<std::string, std::string, std::less<>> out;
    int line_no = 0;
    while (!text.empty()) {
        auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        ++line_no;
        line = trim(line);
        if (line.empty() || line.front() == '#') {
            continue;
        }
        if (line.starts_with("export ")) {
            line = trim(line.substr(7));
        }
        auto eq = line.find('=');
        std::string_view key = eq == std::string_view::npos ? line : trim(line.substr(0, eq));
        if (eq == std::string_view::npos || !valid_key(key)) {
            problems.push_back(".env line " + std::to_string(line_no) +
                               ": expected KEY=VALUE, got '" + std::string(line) + "'");
            continue;
        }
        std::string_view value = trim(line.substr(eq + 1));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
            value.back() == value.front()) {
            value = value.substr(1, value.size() - 2);
        } else if (auto hash = value.find(" #"); hash != std::string_view::npos) {
            value = trim(value.substr(0, hash)); // an unquoted value ends at a comment
        }
        out.insert_or_assign(std::string(key), std::string(value));
    }
    return out;
}

settings settings::load(int argc, const char* const* argv, std::span<const option> table,
                        std::vector<std::string>& problems) {
    settings s;
    s.table_ = table;
    std::map<std::string, std::string, std::less<>> flags;
    std::optional<std::string> env_file;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            s.command_.help = true;
            continue;
        }
        if (arg == "--version") {
            s.command_.version = true;
            continue;
        }
        if (!arg.starts_with("--")) {
            s.command_.positional.emplace_back(arg);
            continue;
        }
        auto eq = arg.find('=');
        std::string_view name = arg.substr(0, eq);
        const option* known = find_by_flag(table, name);
        std::optional<std::string> value;
        if (eq != std::string_view::npos) {
            value = std::string(arg.substr(eq + 1));
        } else if (known != nullptr && known->is_switch) {
            value = "true";
        } else if (i + 1 < argc) {
            value = argv[++i];
        }
        if (!value) {
            problems.push_back(std::string(name) + " needs a value");
            continue;
        }
        if (name == "--env-file") {
            env_file = *value;
            continue;
        }
        if (known == nullptr) {
            problems.push_back("unknown option " + std::string(name) + " (see --help)");
            continue;
        }
        flags.insert_or_assign(std::string(known->env), *value);
    }

    if (!env_file) {
        if (const char* e = std::getenv("ENV_FILE")) {
            env_file = e;
        }
    }
    std::map<std::string, std::string, std::less<>> dotenv;
    const std::string path = env_file.value_or(".env");
    if (std::ifstream in{path}) {
        std::ostringstream text;
        text << in.rdbuf();
        dotenv = parse_dotenv(text.str(), problems);
    } else if (env_file) {
        problems.push_back("cannot read the env file " + path);
    }

    for (const option& o : table) {
        const std::string key(o.env);
        if (auto f = flags.find(key); f != flags.end()) {
            s.values_.emplace(key, f->second);
        } else if (const char* e = std::getenv(key.c_str())) {
            s.values_.emplace(key, e);
        } else if (auto d = dotenv.find(key); d != dotenv.end()) {
            s.values_.emplace(key, d->second);
        }
    }
    return s;
}

std::optional<std::string> settings::get(std::string_view env) const {
    if (auto it = values_.find(env); it != values_.end()) {
        return it->second;
    }
    for (const option& o : table_) {
        if (o.env == env && !o.default_value.empty()) {
            return std::string(o.default_value);
        }
    }
    return std::nullopt;
}

std::string render_help(std::string_view usage, std::span<const option> table) {
    std::string out(usage);
    out += "\nSettings (flag, or environment variable, or a line in .env; flags win):\n";
    for (const option& o : table) {
        out += "  " + flag_name(o.env) + " / " + std::string(o.env);
        if (!o.default_value.empty()) {
            out += " (default: " + std::string(o.default_value) + ")";
        }
        out += "\n      " + std::string(o.help) + "\n";
    }
    out += "  --env-file / ENV_FILE (default: .env)\n      File to read settings from.\n";
    return out;
}

} // namespace streamscope::config

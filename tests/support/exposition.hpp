#pragma once
// A strict reader of the Prometheus text format 0.0.4, for the tests of /metrics.

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace streamscope::testing {

struct exposition {
    std::map<std::string, std::string> types; // family name -> counter / gauge
    std::map<std::string, double> samples;    // name{labels} -> value
    std::vector<std::string> problems;
};

// Reads the text format 0.0.4 strictly: every line is a HELP, a TYPE or a sample of a family
// whose TYPE came before, with all of a family's lines together.
inline exposition parse_exposition(const std::string& text) {
    static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) [^\n]+)");
    static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge))");
    static const std::regex sample(
        R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? ([^ ]+))");
    exposition out;
    std::set<std::string> finished; // families whose group of lines has ended
    std::string current;
    std::string helped;
    std::istringstream lines(text);
    std::string line;
    CHECK((!text.empty() && text.back() == '\n'));
    while (std::getline(lines, line)) {
        std::smatch m;
        std::string family;
        if (std::regex_match(line, m, help)) {
            family = m[1];
            helped = family;
        } else if (std::regex_match(line, m, type)) {
            family = m[1];
            if (helped != family) {
                out.problems.push_back("TYPE without HELP: " + line);
            }
            if (!out.types.emplace(family, m[2]).second) {
                out.problems.push_back("second TYPE: " + line);
            }
        } else if (std::regex_match(line, m, sample)) {
            family = m[1];
            if (!out.types.contains(family)) {
                out.problems.push_back("sample before its TYPE: " + line);
            }
            const std::string value = m[3];
            char* end = nullptr;
            const double v = std::strtod(value.c_str(), &end);
            if (end != value.c_str() + value.size()) {
                out.problems.push_back("bad value: " + line);
            }
            if (!out.samples.emplace(std::string(m[1]) + std::string(m[2]), v).second) {
                out.problems.push_back("duplicate sample: " + line);
            }
        } else {
            out.problems.push_back("unparsable: " + line);
            continue;
        }
        if (family != current) {
            if (finished.contains(family)) {
                out.problems.push_back("family split up: " + line);
            }
            finished.insert(current);
            current = family;
        }
    }
    return out;
}

} // namespace streamscope::testing

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <catch2/catch.hpp>

#include "common/config/settings.hpp"

using namespace streamscope::config;

namespace {

constexpr std::array table{
    option{"SS_TEST_ALPHA", "a-default", "the first"},
    option{"SS_TEST_BETA", "", "the second"},
};

settings load(std::vector<const char*> argv, std::vector<std::string>& problems) {
    argv.insert(argv.begin(), "prog");
    return settings::load(static_cast<int>(argv.size()), argv.data(), table, problems);
}

} // namespace

TEST_CASE("flag names derive from the environment variable", "[unit][config]") {
    CHECK(flag_name("DATABASE_URL") == "--database-url");
    CHECK(flag_name("LOG_LEVEL") == "--log-level");
}

TEST_CASE(".env parsing", "[unit][config]") {
    std::vector<std::string> problems;
    const auto values = parse_dotenv("# comment\n\nA=1\nexport B = two words \nC=\"quoted # not a "
                                     "comment\"\nD='single'\nE=x # trailing comment\nbad line\n"
                                     "A=later\nF=\n",
                                     problems);
    CHECK(values.at("A") == "later");
    CHECK(values.at("B") == "two words");
    CHECK(values.at("C") == "quoted # not a comment");
    CHECK(values.at("D") == "single");
    CHECK(values.at("E") == "x");
    CHECK(values.at("F").empty());
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("line 8") != std::string::npos);
}

TEST_CASE("flags win over the environment, which wins over .env", "[unit][config]") {
    const std::string path = "settings_test.env";
    std::ofstream(path) << "SS_TEST_ALPHA=from-file\nSS_TEST_BETA=beta-from-file\n";
    ::setenv("SS_TEST_ALPHA", "from-env", 1);
    ::setenv("SS_TEST_BETA", "beta-from-env", 1);
    std::vector<std::string> problems;

    auto s = load({"--env-file", path.c_str(), "--ss-test-alpha=from-flag"}, problems);
    CHECK(problems.empty());
    CHECK(s.get("SS_TEST_ALPHA") == "from-flag");
    CHECK(s.get("SS_TEST_BETA") == "beta-from-env");

    ::unsetenv("SS_TEST_BETA");
    s = load({"--env-file", path.c_str()}, problems);
    CHECK(s.get("SS_TEST_ALPHA") == "from-env");
    CHECK(s.get("SS_TEST_BETA") == "beta-from-file");

    ::unsetenv("SS_TEST_ALPHA");
    std::remove(path.c_str());
    s = load({"--env-file", "/nonexistent/file.env"}, problems);
    CHECK(s.get("SS_TEST_ALPHA") == "a-default");
    CHECK_FALSE(s.get("SS_TEST_BETA").has_value());
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "cannot read the env file /nonexistent/file.env");
}

TEST_CASE("command words, help and version are recognised; bad flags are problems",
          "[unit][config]") {
    std::vector<std::string> problems;
    auto s = load(
        {"migrate", "--help", "--version", "--ss-test-beta", "b", "--nope=1", "--ss-test-alpha"},
        problems);
    CHECK(s.command().positional == std::vector<std::string>{"migrate"});
    CHECK(s.command().help);
    CHECK(s.command().version);
    CHECK(s.get("SS_TEST_BETA") == "b");
    REQUIRE(problems.size() == 2);
    CHECK(problems[0] == "unknown option --nope (see --help)");
    CHECK(problems[1] == "--ss-test-alpha needs a value");
}

TEST_CASE("help lists every option with its default", "[unit][config]") {
    const std::string help = render_help("Usage: prog\n", table);
    CHECK(help.find("--ss-test-alpha / SS_TEST_ALPHA (default: a-default)") != std::string::npos);
    CHECK(help.find("--ss-test-beta / SS_TEST_BETA\n") != std::string::npos);
    CHECK(help.find("the second") != std::string::npos);
}

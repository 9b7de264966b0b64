// streamscope-api: the REST API over the Streamscope database.

#include <array>
#include <variant>

#include "common/cli/migrate_command.hpp"
#include "common/cli/service_main.hpp"

namespace {

constexpr std::string_view usage = R"(Usage: streamscope-api COMMAND [--option VALUE ...]

Commands:
  migrate     apply pending schema migrations to DATABASE_URL and exit (normally the
              collector does this; the API itself needs only read access)

Options:
  --help      this text
  --version   the version

Exit codes: 0 done, 1 failed (see the log), 2 bad settings, 3 schema refused.
)";

constexpr std::array<std::string_view, 1> commands{"migrate"};

} // namespace

int main(int argc, char** argv) {
    using namespace streamscope;
    const auto started =
        cli::start({"streamscope-api", usage, commands}, config::service_options, argc, argv);
    if (const int* exit_code = std::get_if<int>(&started)) {
        return *exit_code;
    }
    const auto& run = std::get<cli::invocation>(started);
    return cli::run_migrate(run.settings.database, "streamscope-api");
}

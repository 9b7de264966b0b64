// streamscope-collector: keeps the database current with what is live on the platforms.

#include <array>
#include <variant>

#include "common/cli/migrate_command.hpp"
#include "common/cli/service_main.hpp"

namespace {

constexpr std::string_view usage = R"(Usage: streamscope-collector COMMAND [--option VALUE ...]

Commands:
  migrate     apply pending schema migrations to DATABASE_URL and exit
              (a no-op when the schema is current; refused with exit code 3 when the
              database schema is newer than this binary or an applied migration was edited)

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
        cli::start({"streamscope-collector", usage, commands}, config::service_options, argc, argv);
    if (const int* exit_code = std::get_if<int>(&started)) {
        return *exit_code;
    }
    const auto& run = std::get<cli::invocation>(started);
    return cli::run_migrate(run.settings.database, "streamscope-collector");
}

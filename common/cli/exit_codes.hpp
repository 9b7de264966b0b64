#pragma once
// Exit codes shared by both binaries (documented in README.md and TROUBLESHOOTING.md).

namespace streamscope::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;         // a runtime failure, e.g. the database is down
inline constexpr int exit_bad_config = 2;      // bad settings or arguments: nothing was started
inline constexpr int exit_schema_refused = 3;  // the database schema is newer or was edited
inline constexpr int exit_bad_credentials = 4; // the platform refused the app credentials
inline constexpr int exit_untrusted_certificate = 5; // the platform's TLS certificate

} // namespace streamscope::cli

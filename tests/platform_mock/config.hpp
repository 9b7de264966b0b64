#pragma once
// The mock's command line: every flag, its default and its help in one table, and the parser
// that fills mock_config from argv. Bad flags are collected, one message each, never thrown.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/platform_mock/service.hpp"

namespace streamscope::platform_mock {

struct mock_config {
    service_config service;
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::optional<std::string> port_file;
    std::optional<std::string> tls_cert; // PEM files; both or neither
    std::optional<std::string> tls_key;
    std::optional<std::string> ca_out; // where to write the certificate in use
    bool verbose = false;
    bool help = false;
};

// Parses argv (skipping argv[0]); appends a line to `problems` for each bad flag or value.
mock_config parse_command_line(int argc, const char* const* argv,
                               std::vector<std::string>& problems);

// The --help text, from the same table the parser uses.
std::string help_text();

} // namespace streamscope::platform_mock

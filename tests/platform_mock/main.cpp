// streamscope-mock: fake streaming platforms over HTTPS on one port (Twitch's Helix and
// id.twitch.tv, Kick's public API and id.kick.com), for integration tests, benchmarks and the
// product's demo mode. --help lists the options and the admin API.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "common/log/log.hpp"
#include "tests/platform_mock/config.hpp"
#include "tests/platform_mock/server.hpp"
#include "tests/platform_mock/tls_cert.hpp"

namespace {

using namespace streamscope::platform_mock;

constexpr std::string_view program = "streamscope-mock";

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return std::move(text).str();
}

// Via a temporary file and rename, so that a reader polling for the file never sees half of it.
// Throws std::runtime_error when it cannot.
void write_file_atomically(const std::string& path, std::string_view content) {
    const std::string temporary = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << content;
        out.close();
        if (!out) {
            throw std::runtime_error("cannot write " + temporary);
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::filesystem::remove(temporary, ec);
        throw std::runtime_error("cannot rename " + temporary + " to " + path);
    }
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> problems;
    mock_config config = parse_command_line(argc, argv, problems);
    if (config.help) {
        std::cout << help_text();
        return 0;
    }
    server_options options;
    options.host = config.host;
    options.port = config.port;
    options.verbose = config.verbose;
    if (config.tls_cert && config.tls_key) {
        const auto cert = read_file(*config.tls_cert);
        const auto key = read_file(*config.tls_key);
        if (!cert) {
            problems.push_back("--tls-cert " + *config.tls_cert + ": cannot read the file");
        }
        if (!key) {
            problems.push_back("--tls-key " + *config.tls_key + ": cannot read the file");
        }
        options.certificate_pem = cert.value_or("");
        options.private_key_pem = key.value_or("");
    }
    if (!problems.empty()) {
        for (const auto& p : problems) {
            std::cerr << program << ": " << p << "\n";
        }
        return 2;
    }
    streamscope::log::init(program, config.verbose ? spdlog::level::info : spdlog::level::warn,
                           streamscope::log::format::text);
    try {
        if (options.certificate_pem.empty()) {
            auto identity = make_self_signed_identity();
            options.certificate_pem = std::move(identity.certificate);
            options.private_key_pem = std::move(identity.private_key);
        }
        if (config.ca_out) {
            write_file_atomically(*config.ca_out, options.certificate_pem);
        }
        const auto started = std::chrono::steady_clock::now();
        service svc(std::move(config.service));
        spdlog::info("world built in {} ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 std::chrono::steady_clock::now() - started)
                                                 .count());
        serve(svc, options, [&](std::uint16_t port) {
            if (config.port_file) {
                write_file_atomically(*config.port_file, std::to_string(port) + "\n");
            }
            const bool v6 = options.host.find(':') != std::string::npos;
            std::cout << "listening on https://" << (v6 ? "[" : "") << options.host
                      << (v6 ? "]" : "") << ":" << port << std::endl;
        });
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return 1;
    }
    return 0;
}

#include "api/keys_command.hpp"

#include <cstdio>
#include <iostream>

#include <boost/json/object.hpp>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "api/auth/key_admin.hpp"
#include "api/config.hpp"
#include "common/cli/exit_codes.hpp"
#include "common/db/connection.hpp"

namespace streamscope::api {
namespace {

constexpr std::string_view keys_usage =
    "usage: streamscope-api keys create --name NAME [--scope read|export|webhooks|admin] "
    "[--rate PER_MINUTE] [--expires DATE] [--export-rows ROWS_A_DAY]\n"
    "       streamscope-api keys list\n"
    "       streamscope-api keys revoke ID-or-PREFIX...\n";

std::string text(const boost::json::value& v) {
    return v.is_string() ? std::string(v.get_string()) : v.is_null() ? "-" : "";
}

void print_list(const boost::json::array& keys) {
    std::printf("%-6s %-13s %-8s %-8s %-8s %-11s %-21s %-21s %10s %14s %12s  %s\n", "ID", "PREFIX",
                "SCOPE", "STATE", "RATE/MIN", "ROWS/DAY", "EXPIRES", "LAST USED", "REQUESTS",
                "BYTES_EXPORTED", "ROWS_TODAY", "NAME");
    const auto or_default = [](const boost::json::value& v) {
        return v.is_null() ? std::string("default") : std::to_string(v.as_int64());
    };
    for (const auto& item : keys) {
        const auto& k = item.as_object();
        std::printf("%-6lld %-13s %-8s %-8s %-8s %-11s %-21s %-21s %10lld %14lld %12lld  %s\n",
                    static_cast<long long>(k.at("id").as_int64()), text(k.at("prefix")).c_str(),
                    text(k.at("scope")).c_str(), text(k.at("state")).c_str(),
                    or_default(k.at("requests_per_minute")).c_str(),
                    or_default(k.at("export_rows_per_day")).c_str(),
                    text(k.at("expires_at")).c_str(), text(k.at("last_used_at")).c_str(),
                    static_cast<long long>(k.at("requests").as_int64()),
                    static_cast<long long>(k.at("bytes_exported").as_int64()),
                    static_cast<long long>(k.at("rows_exported_today").as_int64()),
                    text(k.at("name")).c_str());
    }
}

} // namespace

int run_keys_command(const config::service_settings& service, const config::settings& s,
                     const std::vector<std::string>& arguments) {
    const std::string action = arguments.empty() ? "" : arguments[0];
    if (action != "create" && action != "list" && action != "revoke") {
        std::cerr << "streamscope-api: keys needs create, list or revoke\n" << keys_usage;
        return cli::exit_bad_config;
    }
    if ((action == "revoke") != (arguments.size() > 1)) {
        std::cerr << "streamscope-api: "
                  << (action == "revoke" ? "keys revoke needs the ids or prefixes of the keys"
                                         : "keys " + action + " takes no further words")
                  << '\n'
                  << keys_usage;
        return cli::exit_bad_config;
    }
    key_request wanted;
    if (action == "create") {
        std::vector<std::string> problems;
        wanted = load_key_request(s, problems);
        for (const std::string& p : problems) {
            std::cerr << "streamscope-api: " << p << '\n';
        }
        if (!problems.empty()) {
            std::cerr << keys_usage;
            return cli::exit_bad_config;
        }
    }
    try {
        auto conn = db::connect(service.database, {.application_name = "streamscope-api keys",
                                                   .connect_timeout = std::chrono::seconds(10)});
        pqxx::work tx{*conn};
        int code = cli::exit_ok;
        if (action == "create") {
            const boost::json::object created = create_key(tx, wanted);
            tx.commit();
            spdlog::info("API keys: created key {} ({}, scope {}): it is shown once, below",
                         text(created.at("prefix")), wanted.name, to_string(wanted.allowed));
            std::cout << "id " << created.at("id").as_int64() << ", prefix "
                      << text(created.at("prefix")) << ", scope " << to_string(wanted.allowed)
                      << ", expires " << text(created.at("expires_at"))
                      << ". Keep the key: it is not stored and cannot be shown again.\n"
                      << text(created.at("key")) << std::endl;
        } else if (action == "list") {
            print_list(list_keys(tx));
        } else {
            for (std::size_t i = 1; i < arguments.size(); ++i) {
                if (const auto revoked = revoke_key(tx, arguments[i])) {
                    std::cout << "revoked " << text(revoked->at("prefix")) << " ("
                              << text(revoked->at("name")) << ") at "
                              << text(revoked->at("revoked_at")) << '\n';
                } else {
                    std::cerr << "streamscope-api: no key has the id or prefix '" << arguments[i]
                              << "'\n";
                    code = cli::exit_failure;
                }
            }
            tx.commit();
        }
        return code;
    } catch (const pqxx::undefined_table&) {
        spdlog::error("the database has no api_keys table yet: run `streamscope-api migrate` "
                      "(or start the collector, which migrates) first");
    } catch (const pqxx::broken_connection& e) {
        spdlog::error("cannot connect to {}: {} -- check DATABASE_URL and that PostgreSQL is "
                      "running and reachable",
                      service.database.redacted(), e.what());
    } catch (const std::exception& e) {
        spdlog::error("keys {} failed: {}", action, e.what());
    }
    return cli::exit_failure;
}

} // namespace streamscope::api

#pragma once
// Opening PostgreSQL connections with the limits every connection of ours must have.

#include <chrono>
#include <memory>
#include <string>

#include <pqxx/connection>

#include "common/config/database_url.hpp"

namespace streamscope::db {

struct connection_options {
    std::string application_name = "streamscope";
    std::chrono::seconds connect_timeout{10};
    // Server-side limit for every statement on the connection; zero: none.
    std::chrono::milliseconds statement_timeout{std::chrono::seconds{60}};
};

// Opens a connection with libpq's connect_timeout, TCP keepalives and the statement timeout
// (settings in the URL itself win). Throws pqxx::broken_connection when the server cannot be
// reached or refuses the login; its message holds no password.
std::unique_ptr<pqxx::connection> connect(const config::database_url& url,
                                          const connection_options& options = {});

} // namespace streamscope::db

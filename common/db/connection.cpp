#include "common/db/connection.hpp"

namespace streamscope::db {

std::unique_ptr<pqxx::connection> connect(const config::database_url& url,
                                          const connection_options& options) {
    return std::make_unique<pqxx::connection>(url.conninfo({
        {"connect_timeout", std::to_string(options.connect_timeout.count())},
        {"application_name", options.application_name},
        {"keepalives", "1"},
        {"keepalives_idle", "30"},
        {"keepalives_interval", "10"},
        {"keepalives_count", "3"},
        {"options", "-c statement_timeout=" + std::to_string(options.statement_timeout.count())},
    }));
}

} // namespace streamscope::db

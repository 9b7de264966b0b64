#include "collector/webhooks/delivery_lock.hpp"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "common/db/connection.hpp"

namespace streamscope::webhooks {
namespace {

// "streamscope webhooks": beside the sweep leaders' keys (leadership.cpp), never one of them.
constexpr std::int64_t delivery_lock_key = 0x5354'5245'5748'4b00LL;

} // namespace

delivery_lock::delivery_lock(config::database_url url) : url_(std::move(url)) {}

bool delivery_lock::hold() {
    if (conn_) {
        try {
            pqxx::nontransaction tx{*conn_};
            tx.exec("SELECT 1");
        } catch (const std::exception& e) {
            if (held_) {
                spdlog::warn("webhooks: lost the delivery lock's database connection ({}); "
                             "deliveries pause until this or another collector takes it",
                             e.what());
            }
            conn_.reset();
            held_ = false;
        }
    }
    if (held_) {
        return true;
    }
    try {
        if (!conn_) {
            conn_ = db::connect(url_, {.application_name = "streamscope-collector webhook lock",
                                       .connect_timeout = std::chrono::seconds(5)});
        }
        pqxx::nontransaction tx{*conn_};
        held_ =
            tx.exec_params("SELECT pg_try_advisory_lock($1)", delivery_lock_key)[0][0].as<bool>();
    } catch (const std::exception&) {
        conn_.reset(); // unreachable: the daemon's own lines say so
        held_ = false;
        return false;
    }
    if (held_) {
        spdlog::info("webhooks: this collector delivers the webhooks of this database");
    }
    return held_;
}

void delivery_lock::release() {
    conn_.reset();
    held_ = false;
}

} // namespace streamscope::webhooks

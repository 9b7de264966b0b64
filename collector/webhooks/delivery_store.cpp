#include "collector/webhooks/delivery_store.hpp"

#include <pqxx/pqxx>

namespace streamscope::webhooks {
namespace {

// Each enabled subscription's oldest pending delivery (webhook_deliveries_pending_idx), when
// due. $2: the busy subscriptions as a comma list.
constexpr const char* due_sql = R"(
SELECT d.id, w.id, d.event_id, d.payload, d.attempts,
       coalesce((extract(epoch FROM now() - d.first_attempt_at) * 1000)::bigint, 0),
       w.url, w.format, w.secret
  FROM webhooks w
  JOIN api_keys k ON k.id = w.key_id
  CROSS JOIN LATERAL (SELECT * FROM webhook_deliveries d
                       WHERE d.webhook_id = w.id AND d.state = 'pending'
                       ORDER BY d.id LIMIT 1) d
 WHERE w.disabled_at IS NULL
   AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
   AND d.next_attempt_at <= now()
   AND w.id <> ALL (string_to_array($2, ',')::bigint[])
 ORDER BY d.next_attempt_at
 LIMIT $1
)";
constexpr const char* insert_attempt_sql = R"(
INSERT INTO webhook_attempts (delivery_id, status, error, duration_ms) VALUES ($1, $2, $3, $4)
)";
constexpr const char* delivered_sql = R"(
UPDATE webhook_deliveries
   SET state = 'delivered', attempts = attempts + 1, last_status = $2, last_error = NULL,
       first_attempt_at = coalesce(first_attempt_at, now()), delivered_at = now()
 WHERE id = $1
)";
constexpr const char* retry_sql = R"(
UPDATE webhook_deliveries
   SET attempts = attempts + 1, last_status = $2, last_error = $3,
       first_attempt_at = coalesce(first_attempt_at, now()),
       next_attempt_at = now() + $4 * interval '1 millisecond'
 WHERE id = $1
)";
constexpr const char* failed_sql = R"(
UPDATE webhook_deliveries
   SET state = 'failed', attempts = attempts + 1, last_status = $2, last_error = $3,
       first_attempt_at = coalesce(first_attempt_at, now())
 WHERE id = $1
)";
constexpr const char* disable_sql = R"(
UPDATE webhooks SET disabled_at = now(), disabled_reason = $2
 WHERE id = $1 AND disabled_at IS NULL
)";
constexpr const char* counts_sql = R"(
SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'delivered'),
       count(*) FILTER (WHERE state = 'failed')
  FROM webhook_deliveries
)";

} // namespace

std::vector<due_delivery> claim_due(pqxx::connection& c, std::size_t limit,
                                    const std::set<std::int64_t>& busy) {
    std::string busy_list;
    for (const std::int64_t id : busy) {
        busy_list += busy_list.empty() ? "" : ",";
        busy_list += std::to_string(id);
    }
    pqxx::read_transaction tx{c};
    std::vector<due_delivery> out;
    for (const auto& row : tx.exec_params(due_sql, static_cast<std::int64_t>(limit), busy_list)) {
        due_delivery d;
        d.id = row[0].as<std::int64_t>();
        d.webhook_id = row[1].as<std::int64_t>();
        d.event_id = row[2].as<std::int64_t>();
        d.payload = row[3].as<std::string>();
        d.attempts = row[4].as<int>();
        d.since_first = std::chrono::milliseconds(row[5].as<std::int64_t>());
        d.url = row[6].as<std::string>();
        d.format = parse_target_format(row[7].as<std::string>()).value_or(target_format::json);
        d.secret = row[8].as<std::string>();
        out.push_back(std::move(d));
    }
    return out;
}

void record_attempt(pqxx::connection& c, const due_delivery& d, const attempt_result& result,
                    const next_step& step) {
    pqxx::work tx{c};
    const std::optional<int> status =
        result.status ? std::optional<int>(static_cast<int>(*result.status)) : std::nullopt;
    const std::optional<std::string> error =
        result.error.empty() ? std::nullopt : std::optional<std::string>(result.error);
    tx.exec_params(insert_attempt_sql, d.id, status, error,
                   static_cast<std::int64_t>(result.duration.count()));
    switch (step.what) {
    case next_step::kind::delivered:
        tx.exec_params(delivered_sql, d.id, status);
        break;
    case next_step::kind::retry:
        tx.exec_params(retry_sql, d.id, status, error,
                       static_cast<std::int64_t>(step.wait.count()));
        break;
    case next_step::kind::failed:
        tx.exec_params(failed_sql, d.id, status, error);
        tx.exec_params(disable_sql, d.webhook_id, step.disable_reason);
        break;
    }
    tx.commit();
}

delivery_counts count_deliveries(pqxx::connection& c) {
    pqxx::read_transaction tx{c};
    const auto row = tx.exec1(counts_sql);
    return {row[0].as<std::int64_t>(), row[1].as<std::int64_t>(), row[2].as<std::int64_t>()};
}

} // namespace streamscope::webhooks

#include "collector/webhooks/fan_out.hpp"

#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "collector/webhooks/mail_sender.hpp"
#include "collector/webhooks/payloads.hpp"
#include "common/json/text.hpp"
#include "common/model/event.hpp"
#include "common/webhooks/subscription.hpp"

namespace streamscope::webhooks {
namespace {

// The one row: locked so that a second deliverer (there should be none) waits.
constexpr const char* cursor_sql = "SELECT last_event_id FROM webhook_cursor FOR UPDATE";
constexpr const char* move_cursor_sql = "UPDATE webhook_cursor SET last_event_id = $1";
// By the primary key, in commit order (0018_events.sql).
constexpr const char* events_after_sql = R"(
SELECT e.id, e.type, p.name, e.sweep_id, (extract(epoch FROM e.at) * 1000000)::bigint,
       e.channel, e.game_id, e.game_name, e.viewers, e.data
  FROM events e JOIN platforms p ON p.id = e.platform_id
 WHERE e.id > $1
 ORDER BY e.id
 LIMIT $2
)";
// Keys own subscriptions: one whose key was revoked or has expired gets nothing.
constexpr const char* subscriptions_sql = R"(
SELECT w.id, w.format, array_to_json(w.event_types)::text, w.filters::text, w.after_event_id
  FROM webhooks w JOIN api_keys k ON k.id = w.key_id
 WHERE w.disabled_at IS NULL
   AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
)";
// One statement for the batch's deliveries (libpqxx 6.4 binds no arrays: a JSON array).
constexpr const char* insert_deliveries_sql = R"(
INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload)
SELECT x.webhook_id, x.event_id, x.event_type, x.payload
  FROM json_to_recordset($1::json)
       AS x(webhook_id bigint, event_id bigint, event_type text, payload text)
 ORDER BY x.webhook_id, x.event_id
ON CONFLICT (webhook_id, event_id) DO NOTHING
)";

struct subscriber {
    std::int64_t id = 0;
    target_format format = target_format::json;
    subscription_filter filter;
    std::int64_t after = 0;
};

// An event, with each format's payload rendered when first needed.
struct fanned_event {
    std::int64_t id = 0;
    std::string type;
    std::string platform;
    std::string channel;
    std::string game_id;
    std::string game_name;
    std::optional<std::int64_t> viewers;
    std::string json;
    std::optional<boost::json::object> parsed;
    std::optional<std::string> slack, discord, email;

    event_facts facts() const { return {type, platform, channel, game_id, game_name, viewers}; }

    const boost::json::object& object() {
        if (!parsed) {
            const boost::json::value v = boost::json::parse(json);
            parsed = v.is_object() ? v.as_object() : boost::json::object{};
        }
        return *parsed;
    }

    const std::string& payload(target_format f) {
        switch (f) {
        case target_format::json:
            return json;
        case target_format::slack:
            if (!slack) {
                slack = slack_payload(object()).body;
            }
            return *slack;
        case target_format::discord:
            if (!discord) {
                discord = discord_payload(object()).body;
            }
            return *discord;
        case target_format::email:
            if (!email) {
                email = email_payload_json(object());
            }
            return *email;
        }
        return json;
    }
};

std::vector<subscriber> read_subscribers(pqxx::transaction_base& tx) {
    std::vector<subscriber> out;
    for (const auto& row : tx.exec(subscriptions_sql)) {
        subscriber s;
        s.id = row[0].as<std::int64_t>();
        const auto format = parse_target_format(row[1].as<std::string>());
        const boost::json::value types = boost::json::parse(row[2].c_str());
        const boost::json::value filters = boost::json::parse(row[3].c_str());
        auto filter = read_subscription(&types, &filters);
        if (!format || !filter) {
            spdlog::error("webhooks: subscription {} is not one this version reads ({}); it "
                          "gets no deliveries: delete it and subscribe again",
                          s.id, filter ? "format" : filter.error().field);
            continue;
        }
        s.format = *format;
        s.filter = std::move(*filter);
        s.after = row[4].as<std::int64_t>();
        out.push_back(std::move(s));
    }
    return out;
}

fanned_event event_of(const pqxx::row& row) {
    fanned_event e;
    e.id = row[0].as<std::int64_t>();
    e.type = row[1].as<std::string>();
    e.platform = row[2].as<std::string>();
    e.channel = row[5].as<std::string>();
    e.game_id = row[6].as<std::string>();
    e.game_name = row[7].as<std::string>();
    if (!row[8].is_null()) {
        e.viewers = row[8].as<std::int64_t>();
    }
    const auto at = time::timestamp(std::chrono::microseconds(row[4].as<std::int64_t>()));
    e.json = model::event_json(e.id, e.type, at, row[3].c_str(), e.platform,
                               std::string_view(row[9].c_str(), row[9].size()));
    return e;
}

} // namespace

fan_out_result fan_out(pqxx::connection& c, std::size_t batch) {
    pqxx::work tx{c};
    const auto cursor = tx.exec(cursor_sql);
    if (cursor.empty()) {
        throw std::runtime_error("the webhook_cursor row is missing: migrate the database again");
    }
    const auto last = cursor[0][0].as<std::int64_t>();
    const auto rows = tx.exec_params(events_after_sql, last, static_cast<std::int64_t>(batch));
    fan_out_result out;
    if (rows.empty()) {
        return out;
    }
    const std::vector<subscriber> subscribers = read_subscribers(tx);
    boost::json::array deliveries;
    std::int64_t newest = last;
    for (const auto& row : rows) {
        fanned_event e = event_of(row);
        newest = e.id;
        ++out.events;
        for (const subscriber& s : subscribers) {
            if (e.id <= s.after || !s.filter.matches(e.facts())) {
                continue;
            }
            deliveries.push_back(boost::json::object{{"webhook_id", s.id},
                                                     {"event_id", e.id},
                                                     {"event_type", e.type},
                                                     {"payload", e.payload(s.format)}});
        }
    }
    out.deliveries = deliveries.size();
    if (!deliveries.empty()) {
        tx.exec_params(insert_deliveries_sql, json::serialize(deliveries));
    }
    tx.exec_params(move_cursor_sql, newest);
    tx.commit();
    return out;
}

} // namespace streamscope::webhooks

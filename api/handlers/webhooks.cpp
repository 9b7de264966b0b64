// /webhooks — subscriptions of API keys of scope webhooks (or admin): POST creates one (its
// secret is in this answer only), GET lists the key's (an admin key's: all), GET and DELETE
// /webhooks/{id}, GET /webhooks/{id}/deliveries shows the newest deliveries with their attempts,
// POST /webhooks/{id}/deliveries/{delivery}/replay sends a delivered or failed one again.
// Another key's subscription is 404. The collector delivers (collector/webhooks/delivery.hpp).

#include <charconv>

#include <boost/json/parse.hpp>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "api/auth/key_admin.hpp"
#include "api/handlers/handlers.hpp"
#include "api/params/query_params.hpp"
#include "common/http/response.hpp"
#include "common/json/text.hpp"
#include "common/webhooks/address_filter.hpp"
#include "common/webhooks/signature.hpp"
#include "common/webhooks/subscription.hpp"

namespace streamscope::api {
namespace {

using boost::beast::http::status;

// The subscription's columns as webhook_json reads them; times as RFC 3339 in UTC, whatever
// the session's time zone.
constexpr std::string_view webhook_columns = R"(
SELECT w.id, w.url, w.format, array_to_json(w.event_types)::text, w.filters::text,
       to_char(w.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       to_char(w.disabled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       w.disabled_reason, w.key_id
  FROM webhooks w
)";

// $1: the key, $2: whether it is an admin's (sees every subscription).
constexpr std::string_view list_webhooks_sql = "WHERE (w.key_id = $1 OR $2) ORDER BY w.id";
constexpr std::string_view one_webhook_sql = "WHERE w.id = $3 AND (w.key_id = $1 OR $2)";

// The events list arrives as a JSON array: libpqxx 6.4 binds no arrays.
constexpr std::string_view insert_webhook_sql = R"(
INSERT INTO webhooks (key_id, url, format, event_types, filters, secret, after_event_id)
VALUES ($1, $2, $3, ARRAY(SELECT jsonb_array_elements_text($4::jsonb)), $5::jsonb, $6,
        (SELECT coalesce(max(id), 0) FROM events))
RETURNING id
)";

constexpr std::string_view delete_webhook_sql =
    "DELETE FROM webhooks WHERE id = $3 AND (key_id = $1 OR $2) RETURNING id";

// The newest first, through the unique index (webhook_id, event_id), with their attempts.
constexpr std::string_view deliveries_sql = R"(
SELECT d.id, d.event_id, d.event_type, d.state, d.attempts,
       to_char(d.next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       d.last_status, d.last_error,
       to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       to_char(d.delivered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       (SELECT coalesce(json_agg(json_build_object(
                   'at', to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                   'status', a.status, 'error', a.error, 'duration_ms', a.duration_ms)
                 ORDER BY a.id), '[]')::text
          FROM webhook_attempts a WHERE a.delivery_id = d.id)
  FROM webhook_deliveries d
 WHERE d.webhook_id = $1
 ORDER BY d.event_id DESC
 LIMIT $2
)";

// A delivered or failed delivery goes again from the start; its subscription is enabled again
// (the target is back, says whoever replays).
constexpr std::string_view replay_sql = R"(
WITH replayed AS (
    UPDATE webhook_deliveries
       SET state = 'pending', attempts = 0, next_attempt_at = now(), first_attempt_at = NULL,
           last_status = NULL, last_error = NULL, delivered_at = NULL
     WHERE id = $2 AND webhook_id = $1 AND state IN ('delivered', 'failed')
    RETURNING id)
UPDATE webhooks SET disabled_at = NULL, disabled_reason = NULL
 WHERE id = $1 AND EXISTS (SELECT FROM replayed)
RETURNING (SELECT id FROM replayed)
)";

http::response refused_field(const http::request& req, std::string message, std::string field) {
    return http::error_response(req, status::bad_request, "invalid_parameter", std::move(message),
                                std::move(field));
}

http::response no_such(const http::request& req, std::string_view what) {
    return http::error_response(req, status::not_found, "not_found", what);
}

// A positive id from a path segment; nullopt for anything else (which no row has).
std::optional<std::int64_t> id_of(std::string_view text) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id <= 0) {
        return std::nullopt;
    }
    return id;
}

boost::json::value json_or_null(const pqxx::field& f) {
    return f.is_null() ? boost::json::value(nullptr) : boost::json::value(f.c_str());
}

boost::json::object webhook_json(const pqxx::row& row) {
    boost::json::object out;
    out["id"] = row[0].as<std::int64_t>();
    out["url"] = row[1].c_str();
    out["format"] = row[2].c_str();
    out["events"] = boost::json::parse(row[3].c_str());
    out["filters"] = boost::json::parse(row[4].c_str());
    out["created_at"] = row[5].c_str();
    out["disabled_at"] = json_or_null(row[6]);
    out["disabled_reason"] = json_or_null(row[7]);
    out["key_id"] = row[8].as<std::int64_t>();
    return out;
}

boost::json::object delivery_json(const pqxx::row& row) {
    boost::json::object out;
    out["id"] = row[0].as<std::int64_t>();
    out["event_id"] = row[1].as<std::int64_t>();
    out["webhook_id"] = "evt_" + std::string(row[1].c_str());
    out["event_type"] = row[2].c_str();
    out["state"] = row[3].c_str();
    out["attempts"] = row[4].as<std::int64_t>();
    out["next_attempt_at"] =
        std::string_view(row[3].c_str()) == "pending" ? json_or_null(row[5]) : nullptr;
    out["last_status"] = row[6].is_null() ? boost::json::value(nullptr)
                                          : boost::json::value(row[6].as<std::int64_t>());
    out["last_error"] = json_or_null(row[7]);
    out["created_at"] = row[8].c_str();
    out["delivered_at"] = json_or_null(row[9]);
    out["attempt_log"] = boost::json::parse(row[10].c_str());
    return out;
}

bool is_admin(app& shared, std::int64_t key_id) {
    const auto info = shared.keys.by_id(key_id);
    return info && info->allowed == scope::admin;
}

// What a POST /webhooks body asks for, or the answer that refuses it.
struct webhook_request {
    std::string url;
    webhooks::target_format format = webhooks::target_format::json;
    webhooks::subscription_filter filter;
};

std::variant<webhook_request, http::response> read_webhook_request(const http::request& req,
                                                                   bool allow_private) {
    boost::system::error_code ec;
    const boost::json::value body = boost::json::parse(req.body(), ec);
    if (ec || !body.is_object()) {
        return refused_field(req,
                             "the body must be a JSON object: {\"url\": ..., \"events\": [...], "
                             "\"filters\": {...}, \"format\": \"json|slack|discord|email\"}",
                             "body");
    }
    const boost::json::object& fields = body.as_object();
    for (const auto& [name, value] : fields) {
        if (name != "url" && name != "events" && name != "filters" && name != "format") {
            return refused_field(req, "unknown field; these are: url, events, filters, format",
                                 std::string(name));
        }
    }
    webhook_request out;
    if (const auto* format = fields.if_contains("format"); format && !format->is_null()) {
        const auto parsed = format->is_string()
                                ? webhooks::parse_target_format(format->get_string())
                                : std::nullopt;
        if (!parsed) {
            return refused_field(req, "one of json, slack, discord, email", "format");
        }
        out.format = *parsed;
    }
    const auto* url = fields.if_contains("url");
    if (url == nullptr || !url->is_string()) {
        return refused_field(
            req, "required: the https URL to POST to (mailto:address for format email)", "url");
    }
    out.url = std::string(url->get_string());
    if (out.format == webhooks::target_format::email) {
        if (!webhooks::mailto_address(out.url)) {
            return refused_field(req, "format email needs a mailto:address URL", "url");
        }
    } else {
        auto checked = webhooks::check_url(out.url, allow_private);
        if (!checked) {
            return refused_field(req, checked.error().message, "url");
        }
    }
    auto filter =
        webhooks::read_subscription(fields.if_contains("events"), fields.if_contains("filters"));
    if (!filter) {
        return refused_field(req, filter.error().message, filter.error().field);
    }
    out.filter = std::move(*filter);
    return out;
}

std::string types_json(const webhooks::subscription_filter& f) {
    boost::json::array types;
    for (const std::string& t : f.types) {
        types.emplace_back(t);
    }
    return json::serialize(types);
}

} // namespace

http::handler webhooks_create_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        auto wanted = read_webhook_request(ctx.req, shared.webhooks.allow_private);
        if (auto* refused = std::get_if<http::response>(&wanted)) {
            co_return std::move(*refused);
        }
        const webhook_request& w = std::get<webhook_request>(wanted);
        const std::string secret = webhooks::make_secret();
        const std::string types = types_json(w.filter);
        const std::string filters = json::serialize(webhooks::filters_json(w.filter));
        const std::int64_t key_id = ctx.key_id;
        boost::json::object created = co_await shared.db.run([&](pqxx::connection& c) {
            pqxx::work tx{c};
            allow_writes(tx);
            const auto id = tx.exec_params1(std::string(insert_webhook_sql), key_id, w.url,
                                            std::string(webhooks::to_string(w.format)), types,
                                            filters, secret)[0]
                                .as<std::int64_t>();
            auto out = webhook_json(tx.exec_params1(
                std::string(webhook_columns) + std::string(one_webhook_sql), key_id, false, id));
            tx.commit();
            return out;
        });
        created["secret"] = secret;
        // Not the URL: Slack's and Discord's carry their token in the path.
        spdlog::info("webhooks: {} created subscription {} (format {})", ctx.client,
                     created["id"].as_int64(), webhooks::to_string(w.format));
        co_return http::json_response(ctx.req, boost::json::object{{"data", std::move(created)}},
                                      status::created);
    };
}

http::handler webhooks_list_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        const std::int64_t key_id = ctx.key_id;
        const bool admin = is_admin(shared, key_id);
        boost::json::array all = co_await shared.db.run([&](pqxx::connection& c) {
            pqxx::read_transaction tx{c};
            boost::json::array out;
            for (const auto& row :
                 tx.exec_params(std::string(webhook_columns) + std::string(list_webhooks_sql),
                                key_id, admin)) {
                out.push_back(webhook_json(row));
            }
            return out;
        });
        co_return http::json_response(ctx.req, boost::json::object{{"data", std::move(all)}});
    };
}

http::handler webhooks_get_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        const auto id = id_of(ctx.path_params.at("id"));
        const std::int64_t key_id = ctx.key_id;
        const bool admin = is_admin(shared, key_id);
        std::optional<boost::json::object> found;
        if (id) {
            found = co_await shared.db.run([&](pqxx::connection& c) {
                pqxx::read_transaction tx{c};
                const auto rows =
                    tx.exec_params(std::string(webhook_columns) + std::string(one_webhook_sql),
                                   key_id, admin, *id);
                return rows.empty() ? std::nullopt
                                    : std::optional<boost::json::object>(webhook_json(rows[0]));
            });
        }
        if (!found) {
            co_return no_such(ctx.req, "no subscription of this key has this id");
        }
        co_return http::json_response(ctx.req, boost::json::object{{"data", std::move(*found)}});
    };
}

http::handler webhooks_delete_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        const auto id = id_of(ctx.path_params.at("id"));
        const std::int64_t key_id = ctx.key_id;
        const bool admin = is_admin(shared, key_id);
        bool deleted = false;
        if (id) {
            deleted = co_await shared.db.run([&](pqxx::connection& c) {
                pqxx::work tx{c};
                allow_writes(tx);
                const bool gone =
                    !tx.exec_params(std::string(delete_webhook_sql), key_id, admin, *id).empty();
                tx.commit();
                return gone;
            });
        }
        if (!deleted) {
            co_return no_such(ctx.req, "no subscription of this key has this id");
        }
        spdlog::info("webhooks: {} deleted subscription {}", ctx.client, *id);
        co_return http::json_response(
            ctx.req, boost::json::object{{"data", {{"id", *id}, {"deleted", true}}}});
    };
}

http::handler webhooks_deliveries_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        query_params params(ctx.query, {"limit"});
        const long long limit = params.integer("limit", 1, 1000, 50);
        if (params.error()) {
            co_return invalid_parameter(ctx.req, *params.error());
        }
        const auto id = id_of(ctx.path_params.at("id"));
        const std::int64_t key_id = ctx.key_id;
        const bool admin = is_admin(shared, key_id);
        std::optional<boost::json::array> found;
        if (id) {
            found = co_await shared.db.run([&](pqxx::connection& c) {
                pqxx::read_transaction tx{c};
                if (tx.exec_params(std::string(webhook_columns) + std::string(one_webhook_sql),
                                   key_id, admin, *id)
                        .empty()) {
                    return std::optional<boost::json::array>();
                }
                boost::json::array out;
                for (const auto& row : tx.exec_params(std::string(deliveries_sql), *id, limit)) {
                    out.push_back(delivery_json(row));
                }
                return std::optional<boost::json::array>(std::move(out));
            });
        }
        if (!found) {
            co_return no_such(ctx.req, "no subscription of this key has this id");
        }
        co_return http::json_response(ctx.req, boost::json::object{{"data", std::move(*found)}});
    };
}

http::handler webhooks_replay_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        const auto id = id_of(ctx.path_params.at("id"));
        const auto delivery = id_of(ctx.path_params.at("delivery"));
        const std::int64_t key_id = ctx.key_id;
        const bool admin = is_admin(shared, key_id);
        // 0: no such subscription; -1: no such delivery, or one that is pending; else replayed.
        std::int64_t outcome = 0;
        if (id && delivery) {
            outcome = co_await shared.db.run([&](pqxx::connection& c) {
                pqxx::work tx{c};
                allow_writes(tx);
                if (tx.exec_params(std::string(webhook_columns) + std::string(one_webhook_sql),
                                   key_id, admin, *id)
                        .empty()) {
                    return std::int64_t{0};
                }
                const auto rows = tx.exec_params(std::string(replay_sql), *id, *delivery);
                tx.commit();
                return rows.empty() ? std::int64_t{-1} : rows[0][0].as<std::int64_t>();
            });
        }
        if (outcome == 0) {
            co_return no_such(ctx.req, "no subscription of this key has this id");
        }
        if (outcome < 0) {
            co_return no_such(ctx.req, "this subscription has no delivered or failed delivery "
                                       "with this id (a pending one goes on its own)");
        }
        spdlog::info("webhooks: {} replays delivery {} of subscription {}", ctx.client, outcome,
                     *id);
        co_return http::json_response(
            ctx.req, boost::json::object{{"data", {{"id", outcome}, {"state", "pending"}}}},
            status::accepted);
    };
}

} // namespace streamscope::api

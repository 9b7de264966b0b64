// /admin/keys — API keys for admin-scoped clients, as `streamscope-api keys` manages them:
// GET lists every key with its use, POST {"name", "scope", "expires"?, "rate"?, "export_rows"?}
// creates one (the key is in this answer only), DELETE /admin/keys/{id or prefix} revokes one. A
// change takes effect on this server at once and on the others at their next reload of the keys.

#include <boost/json/parse.hpp>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "api/auth/key_admin.hpp"
#include "api/handlers/handlers.hpp"
#include "common/http/response.hpp"

namespace streamscope::api {
namespace {

using boost::beast::http::status;

http::response bad_field(const http::request& req, std::string message, std::string field) {
    return http::error_response(req, status::bad_request, "invalid_parameter", std::move(message),
                                std::move(field));
}

} // namespace

http::handler admin_keys_list_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        boost::json::array keys = co_await shared.db.run([](pqxx::connection& c) {
            pqxx::read_transaction tx{c};
            return list_keys(tx);
        });
        co_return http::json_response(ctx.req, boost::json::object{{"data", std::move(keys)}});
    };
}

http::handler admin_keys_create_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        boost::system::error_code ec;
        const boost::json::value body = boost::json::parse(ctx.req.body(), ec);
        if (ec || !body.is_object()) {
            co_return bad_field(ctx.req,
                                "the body must be a JSON object: {\"name\": ..., \"scope\": "
                                "\"read|export|webhooks|admin\", \"expires\": \"2027-01-01\"}",
                                "body");
        }
        const boost::json::object& fields = body.as_object();
        key_request wanted;
        for (const auto& [name, value] : fields) {
            if (name != "name" && name != "scope" && name != "expires" && name != "rate" &&
                name != "export_rows") {
                co_return bad_field(
                    ctx.req, "unknown field; these are: name, scope, expires, rate, export_rows",
                    std::string(name));
            }
        }
        const auto* name = fields.if_contains("name");
        if (name == nullptr || !name->is_string()) {
            co_return bad_field(ctx.req, "required: a text that says whose key it is", "name");
        }
        wanted.name = std::string(name->get_string());
        const auto* scope_text = fields.if_contains("scope");
        const auto allowed = scope_text != nullptr && scope_text->is_string()
                                 ? parse_scope(scope_text->get_string())
                                 : std::nullopt;
        if (!allowed) {
            co_return bad_field(ctx.req, "required: read, export, webhooks or admin", "scope");
        }
        wanted.allowed = *allowed;
        if (const auto* expires = fields.if_contains("expires"); expires && !expires->is_null()) {
            wanted.expires_at =
                expires->is_string() ? parse_expiry(expires->get_string()) : std::nullopt;
            if (!wanted.expires_at) {
                co_return bad_field(ctx.req, "a date (2027-01-01) or an ISO 8601 time", "expires");
            }
        }
        if (const auto* rate = fields.if_contains("rate"); rate && !rate->is_null()) {
            if (!rate->is_int64() || rate->as_int64() < 1 || rate->as_int64() > 1'000'000) {
                co_return bad_field(ctx.req, "requests a minute, from 1 to 1000000", "rate");
            }
            wanted.requests_per_minute = static_cast<unsigned>(rate->as_int64());
        }
        if (const auto* rows = fields.if_contains("export_rows"); rows && !rows->is_null()) {
            if (!rows->is_int64() || rows->as_int64() < 1 ||
                rows->as_int64() > max_export_rows_per_day) {
                co_return bad_field(ctx.req, "rows a day, from 1 to 1000000000000", "export_rows");
            }
            wanted.export_rows_per_day = rows->as_int64();
        }
        if (const auto problem =
                key_request_problem(wanted, std::chrono::time_point_cast<std::chrono::microseconds>(
                                                std::chrono::system_clock::now()))) {
            const auto colon = problem->find(':');
            co_return bad_field(ctx.req, problem->substr(colon + 2), problem->substr(0, colon));
        }
        boost::json::object created = co_await shared.db.run([&](pqxx::connection& c) {
            pqxx::work tx{c};
            allow_writes(tx);
            boost::json::object out = create_key(tx, wanted);
            tx.commit();
            return out;
        });
        spdlog::info("API keys: {} created key {} ({}, scope {})", ctx.client,
                     created["prefix"].as_string().c_str(), wanted.name, to_string(wanted.allowed));
        co_await shared.keys.reload();
        co_return http::json_response(ctx.req, boost::json::object{{"data", std::move(created)}},
                                      status::created);
    };
}

http::handler admin_keys_revoke_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        const std::string which = ctx.path_params.at("key");
        std::optional<boost::json::object> revoked =
            co_await shared.db.run([&](pqxx::connection& c) {
                pqxx::work tx{c};
                allow_writes(tx);
                auto out = revoke_key(tx, which);
                tx.commit();
                return out;
            });
        if (!revoked) {
            co_return http::error_response(ctx.req, status::not_found, "not_found",
                                           "no key has this id or prefix");
        }
        spdlog::info("API keys: {} revoked key {}", ctx.client,
                     (*revoked)["prefix"].as_string().c_str());
        co_await shared.keys.reload();
        co_return http::json_response(ctx.req, boost::json::object{{"data", std::move(*revoked)}});
    };
}

} // namespace streamscope::api

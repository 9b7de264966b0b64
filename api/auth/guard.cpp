#include "api/auth/guard.hpp"

#include <memory>

#include "common/http/response.hpp"

namespace streamscope::api {
namespace {

using boost::beast::http::field;
using boost::beast::http::status;

http::response rate_limited(const http::request& req, const rate_limiter::verdict& v,
                            std::string_view who) {
    http::response res = http::error_response(
        req, status::too_many_requests, "rate_limited",
        std::string(who) + " may make " + std::to_string(v.limit) +
            " requests a minute; try again in " + std::to_string(v.retry_after.count()) + " s");
    add_rate_headers(res, v);
    return res;
}

http::response unauthorized(const http::request& req, std::string message) {
    http::response res =
        http::error_response(req, status::unauthorized, "unauthorized", std::move(message));
    res.set(field::www_authenticate, "Bearer realm=\"streamscope\"");
    return res;
}

} // namespace

std::optional<auth_mode> parse_auth_mode(std::string_view text) {
    if (text == "off") {
        return auth_mode::off;
    }
    if (text == "keys") {
        return auth_mode::keys;
    }
    if (text == "open-read") {
        return auth_mode::open_read;
    }
    return std::nullopt;
}

http::handler guard::need(scope needed, http::handler inner) const {
    if (mode_ == auth_mode::off) {
        return inner;
    }
    const bool anonymous_allowed = mode_ == auth_mode::open_read && needed == scope::read;
    return [this, needed, anonymous_allowed, inner = std::move(inner)](
               http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        const std::optional<std::string> key = key_of(ctx.req);
        if (!key && anonymous_allowed) {
            const auto address = client_address(ctx.req, ctx.peer, rates_.proxies);
            const auto v = limits_.take("address " + address.to_string(), rates_.anonymous_rate,
                                        std::chrono::steady_clock::now());
            if (!v.allowed) {
                co_return rate_limited(ctx.req, v, "a client without an API key");
            }
            http::response res = co_await inner(ctx);
            add_rate_headers(res, v);
            co_return res;
        }
        if (!key) {
            co_return unauthorized(ctx.req, "this route needs an API key: send it as "
                                            "'Authorization: Bearer KEY' or 'X-API-Key: KEY'");
        }
        if (!keys_.loaded()) {
            co_return http::error_response(
                ctx.req, status::service_unavailable, "database_unavailable",
                "the API keys could not be read from the database yet; try again later");
        }
        const std::shared_ptr<const key_info> info = keys_.find(*key);
        if (!info) {
            co_return unauthorized(ctx.req, "this API key is unknown, revoked or expired");
        }
        ctx.client = info->prefix;
        ctx.key_id = info->id;
        if (!allows(info->allowed, needed)) {
            co_return http::error_response(ctx.req, status::forbidden, "forbidden",
                                           "this key's scope is " +
                                               std::string(to_string(info->allowed)) +
                                               "; this route needs a key of scope " +
                                               std::string(to_string(needed)) + " or admin");
        }
        const auto v = limits_.take("key " + std::to_string(info->id),
                                    info->requests_per_minute != 0 ? info->requests_per_minute
                                                                   : rates_.key_rate,
                                    std::chrono::steady_clock::now());
        if (!v.allowed) {
            co_return rate_limited(ctx.req, v, "this API key");
        }
        http::response res = co_await inner(ctx);
        add_rate_headers(res, v);
        keys_.count_request(info->id);
        if (ctx.streamed_body) {
            // An export: its bytes count as they go.
            ctx.streamed_body = [&keys = keys_, id = info->id,
                                 chunks = std::move(ctx.streamed_body)]()
                -> boost::asio::awaitable<std::optional<std::string>> {
                std::optional<std::string> piece = co_await chunks();
                if (piece) {
                    keys.count_exported(id, piece->size());
                }
                co_return piece;
            };
        }
        co_return res;
    };
}

} // namespace streamscope::api

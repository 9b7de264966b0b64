// GET /metrics: the API's request metrics, database pool and answer cache in Prometheus text.

#include "api/handlers/handlers.hpp"
#include "common/http/response.hpp"

namespace streamscope::api {

http::handler metrics_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        http::response res = http::json_response(
            ctx.req, shared.metrics.render(shared.db.size(), shared.db.busy(), shared.cache.hits(),
                                           shared.cache.misses()));
        res.set(boost::beast::http::field::content_type, "text/plain; version=0.0.4");
        co_return res;
    };
}

} // namespace streamscope::api

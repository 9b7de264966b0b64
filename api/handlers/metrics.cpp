// GET /metrics: the API's request metrics, database pool and answer cache in Prometheus text.

#include "api/handlers/handlers.hpp"
#include "api/http/errors.hpp"

namespace streamscope::api {

handler metrics_route(app& shared) {
    return [&shared](request_context& ctx) -> boost::asio::awaitable<response> {
        response res = json_response(
            ctx.req, shared.metrics.render(shared.db.size(), shared.db.busy(), shared.cache.hits(),
                                           shared.cache.misses()));
        res.set(boost::beast::http::field::content_type, "text/plain; version=0.0.4");
        co_return res;
    };
}

} // namespace streamscope::api

// GET /metrics: the API's request metrics, database pool and answer cache in Prometheus text.

#include "api/handlers/handlers.hpp"
#include "common/http/response.hpp"

namespace streamscope::api {

http::handler metrics_route(app& shared) {
    return [&shared](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        const request_metrics::resources now{
            .pool_size = shared.db.size(),
            .pool_busy = shared.db.busy(),
            .pool_queued = shared.db.queued(),
            .pool_refused = shared.db.refused(),
            .cache_hits = shared.cache.hits(),
            .cache_misses = shared.cache.misses(),
            .cache_evictions = shared.cache.evictions(),
            .cache_bytes = shared.cache.bytes(),
        };
        http::response res = http::json_response(ctx.req, shared.metrics.render(now));
        res.set(boost::beast::http::field::content_type, "text/plain; version=0.0.4");
        co_return res;
    };
}

} // namespace streamscope::api

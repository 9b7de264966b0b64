#include "fuzz/api_routes.hpp"

#include "api/routes.hpp"
#include "common/config/database_url.hpp"

namespace streamscope::fuzz {
namespace {

// What add_routes() wants, held together so that one static keeps it all alive.
struct api_without_database {
    db::pool pool{config::database_url::parse("postgresql://nobody@127.0.0.1:1/none").value(), {}};
    api::request_metrics metrics;
    api::answer_cache cache{pool, 1 << 20};
    api::key_store keys{pool};
    api::rate_limiter limits{10};
    const api::guard auth{api::auth_mode::keys, keys, limits, {}};
    api::event_hub events{pool, {}};
    api::app shared{pool, metrics, cache, keys, auth, events};
    http::router routes;

    api_without_database() { api::add_routes(routes, shared); }
};

} // namespace

const http::router& api_routes() {
    static const api_without_database api;
    return api.routes;
}

} // namespace streamscope::fuzz

#pragma once
// THE route table of the API: every method and path with its handler, in one place, so that
// the router and the OpenAPI document can be compared (tests/unit/api/openapi_test.cpp).

#include "api/app.hpp"
#include "common/http/router.hpp"

namespace streamscope::api {

// Adds every route of the API to `routes`; the handlers keep a reference to `shared`.
void add_routes(http::router& routes, app& shared);

} // namespace streamscope::api

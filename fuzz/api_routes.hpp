#pragma once
// The API's route table as streamscope-api builds it with API keys on (so /admin/keys is in
// it), for the fuzz targets that route requests without running a handler.

#include "common/http/router.hpp"

namespace streamscope::fuzz {

// Built on first use and kept until the process ends. Its handlers must not run: the database
// pool behind them never connects.
const http::router& api_routes();

} // namespace streamscope::fuzz

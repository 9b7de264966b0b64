#include "fuzz/error_shape.hpp"

#include <boost/json/parse.hpp>

#include "fuzz/require.hpp"

namespace streamscope::fuzz {

void require_error_shape(const http::response& res) {
    require(res[boost::beast::http::field::content_type] == "application/json",
            "an error answer is application/json");
    boost::system::error_code ec;
    const boost::json::value body = boost::json::parse(res.body(), ec);
    require(!ec, "an error answer's body is JSON");
    const auto* error = body.is_object() ? body.as_object().if_contains("error") : nullptr;
    require(error && error->is_object(), "an error answer is {\"error\": {...}}");
    const auto& fields = error->as_object();
    const auto* status = fields.if_contains("status");
    require(status && status->is_int64() && status->as_int64() == res.result_int(),
            "error.status is the answer's status");
    const auto* code = fields.if_contains("code");
    require(code && code->is_string() && !code->as_string().empty(), "error.code is given");
    const auto* message = fields.if_contains("message");
    require(message && message->is_string(), "error.message is given");
}

} // namespace streamscope::fuzz

// libFuzzer target: bytes as a client sends them to the API's port, through what the server does
// with them before any handler runs (common/http/session.cpp): Beast's request parser with the
// server's limits, reading one request after another while the client keeps the connection
// alive, then refusal() or route_request() over the API's route table.
// Input: one byte for how many bytes each read gets (0: all there are), then the bytes.
// Checks: nothing throws; every answer the server makes itself is a 4xx in the one error shape
// (or an OPTIONS 204); what reaches a handler has a route, a storable path and parameters; the
// access log's form of the target is printable ASCII without quotes or backslashes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include "common/http/access_log.hpp"
#include "common/http/request_intake.hpp"
#include "common/text/utf8.hpp"
#include "fuzz/api_routes.hpp"
#include "fuzz/error_shape.hpp"
#include "fuzz/require.hpp"

namespace {

namespace beast = boost::beast;
namespace http = streamscope::http;
using beast::http::verb;
using streamscope::fuzz::require;

// More requests than this on one connection add nothing the first ones did not exercise.
constexpr int max_requests_per_input = 8;

void check_loggable(std::string_view target) {
    for (const char c : http::loggable_target(target)) {
        const auto byte = static_cast<unsigned char>(c);
        require(byte > 0x20 && byte < 0x7f && c != '"' && c != '\\',
                "the access log shows a target in printable ASCII without quotes");
    }
}

void check_ready(const http::request& req, const http::routed& r) {
    const unsigned status = r.ready->result_int();
    if (req.method() == verb::options && status == 204) {
        require(r.route != http::unmatched_route, "an OPTIONS answer is for a route's path");
        require(!(*r.ready)[beast::http::field::allow].empty(), "an OPTIONS answer says Allow");
        return;
    }
    require(status == 400 || status == 404 || status == 405,
            "the server answers a request no handler takes with 400, 404 or 405");
    require((status == 405) == (r.route != http::unmatched_route),
            "only a 405 names the route of its path");
    if (status == 405) {
        require(!(*r.ready)[beast::http::field::allow].empty(), "a 405 says Allow");
    }
    streamscope::fuzz::require_error_shape(*r.ready);
}

void check_routed(const http::request& req, const http::routed& r) {
    require(r.target != nullptr, "a routed request has a handler");
    require(r.route != http::unmatched_route, "a routed request has a route name");
    require(streamscope::text::is_storable_text(r.path), "a handler's path is storable text");
    for (const auto& [name, value] : r.params) {
        require(!value.empty() && streamscope::text::is_storable_text(value),
                "a handler's path parameters are storable, non-empty text");
    }
    const std::string_view target = req.target();
    const auto question = target.find('?');
    require(r.query == (question == std::string_view::npos ? std::string_view{}
                                                           : target.substr(question + 1)),
            "a handler's query is the target's, as sent");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::size_t read_size = data[0];
    const std::string_view sent(reinterpret_cast<const char*>(data) + 1, size - 1);

    const http::server_options options; // the API's limits are these defaults
    const http::cors_policy cors{{"https://app.example"}};
    const http::router& routes = streamscope::fuzz::api_routes();

    boost::asio::io_context io;
    beast::test::stream client(io, sent);
    if (read_size != 0) {
        client.read_size(read_size);
    }
    client.close_remote(); // after the bytes, the client half-closes
    beast::flat_buffer buffer;
    for (int i = 0; i < max_requests_per_input; ++i) {
        beast::http::request_parser<beast::http::string_body> parser;
        parser.header_limit(options.header_limit);
        parser.body_limit(options.body_limit);
        boost::system::error_code ec;
        beast::http::read(client, buffer, parser, ec);
        if (ec) {
            if (const auto refused = http::refusal(options, ec)) {
                const unsigned status = refused->result_int();
                require(status == 400 || status == 413 || status == 431,
                        "an unreadable request is answered 400, 413 or 431");
                streamscope::fuzz::require_error_shape(*refused);
            }
            break;
        }
        const http::request& req = parser.get();
        check_loggable(req.target());
        const http::routed r = http::route_request(routes, cors, req);
        if (r.ready) {
            check_ready(req, r);
        } else {
            check_routed(req, r);
        }
        if (!req.keep_alive()) {
            break;
        }
    }
    return 0;
}

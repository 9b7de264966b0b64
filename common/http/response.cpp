#include "common/http/response.hpp"

#include <utility>

#include <boost/beast/http/field.hpp>

#include "common/json/text.hpp"

namespace streamscope::http {

response error_response(const request& req, boost::beast::http::status status,
                        std::string_view code, std::string_view message,
                        std::string_view parameter) {
    std::string body = R"({"error":{"status":)";
    body += std::to_string(static_cast<unsigned>(status));
    body += R"(,"code":)" + json::quote(code);
    body += R"(,"message":)" + json::quote(message);
    if (!parameter.empty()) {
        body += R"(,"parameter":)" + json::quote(parameter);
    }
    body += "}}";
    return json_response(req, std::move(body), status);
}

response json_response(const request& req, std::string body, boost::beast::http::status status) {
    response res{status, req.version()};
    res.set(boost::beast::http::field::content_type, "application/json");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

response json_response(const request& req, const char* body, boost::beast::http::status status) {
    return json_response(req, std::string(body), status);
}

response json_response(const request& req, const boost::json::value& body,
                       boost::beast::http::status status) {
    return json_response(req, json::serialize(body), status);
}

void add_vary(response& res, std::string_view header) {
    const std::string_view vary = res[boost::beast::http::field::vary];
    if (vary.empty()) {
        res.set(boost::beast::http::field::vary, header);
    } else if (vary.find(header) == std::string_view::npos) {
        res.set(boost::beast::http::field::vary, std::string(vary) + ", " + std::string(header));
    }
}

} // namespace streamscope::http

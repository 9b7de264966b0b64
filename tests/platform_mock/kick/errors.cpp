#include "tests/platform_mock/kick/errors.hpp"

#include <string>

namespace streamscope::platform_mock::kick {

reply api_error(unsigned status, std::string_view message) {
    return json_reply(status, boost::json::object{{"data", nullptr}, {"message", message}});
}

reply oauth_error(unsigned status, std::string_view error, std::string_view description) {
    return json_reply(status,
                      boost::json::object{{"error", error}, {"error_description", description}});
}

reply server_error(unsigned status) {
    if (status != 502 && status != 504) {
        return api_error(status, reason(status));
    }
    reply r;
    r.status = status;
    r.content_type = "text/html; charset=UTF-8";
    const std::string code = std::to_string(status);
    r.body = "<!DOCTYPE html>\n<html><head><title>" + code + " " + std::string(reason(status)) +
             "</title></head>\n<body><h1>Error " + code +
             "</h1><p>The origin server did not answer in time or answered badly.</p></body>"
             "</html>\n";
    return r;
}

} // namespace streamscope::platform_mock::kick

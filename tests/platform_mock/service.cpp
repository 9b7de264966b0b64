#include "tests/platform_mock/service.hpp"

#include <boost/url/parse.hpp>

namespace streamscope::platform_mock {

service::service(service_config config)
    : twitch_(std::move(config.twitch)), kick_(std::move(config.kick)),
      youtube_(std::move(config.youtube)) {}

reply service::handle(const request& req) {
    const auto target = boost::urls::parse_origin_form(req.target);
    if (target && target->path() == "/_mock/shutdown") {
        if (req.method != "POST") {
            reply r = json_reply(405, boost::json::object{{"message", "Method Not Allowed"}});
            r.headers.emplace_back("Allow", "POST");
            return r;
        }
        reply r = json_reply(200, boost::json::object{{"status", "shutting down"}});
        r.shutdown_after = true;
        return r;
    }
    if (target && kick::service::owns(target->path())) {
        return kick_.handle(req, target);
    }
    if (target && youtube::service::owns(target->path())) {
        return youtube_.handle(req, target);
    }
    return twitch_.handle(req, target);
}

} // namespace streamscope::platform_mock

#include "tests/platform_mock/twitch/errors.hpp"

namespace streamscope::platform_mock::twitch {

reply helix_error(unsigned status, std::string_view message) {
    return json_reply(status, boost::json::object{
                                  {"error", reason(status)},
                                  {"status", status},
                                  {"message", message},
                              });
}

reply oauth_error(unsigned status, std::string_view message) {
    return json_reply(status, boost::json::object{{"status", status}, {"message", message}});
}

} // namespace streamscope::platform_mock::twitch

#pragma once
// The mock's front door: every platform's API on one port, told apart by path (Kick's
// /oauth/, /public/ and /_mock/kick/; YouTube's /youtube/, /feeds/ and /_mock/youtube/; everything
// else is Twitch's: /oauth2/, /helix/ and the
// /_mock admin paths Twitch has always had), plus POST /_mock/shutdown for the whole process. Each
// platform keeps its own world, tokens, limits, faults and counters. Single-threaded: call it from
// one thread only. Nothing throws for bad input; bugs and std::bad_alloc propagate.

#include "tests/platform_mock/exchange.hpp"
#include "tests/platform_mock/kick/service.hpp"
#include "tests/platform_mock/twitch/service.hpp"
#include "tests/platform_mock/youtube/service.hpp"

namespace streamscope::platform_mock {

struct service_config {
    twitch::service_config twitch;
    kick::service_config kick;
    youtube::service_config youtube;
};

class service {
public:
    // Builds every platform's world (which can take a few seconds for a large population).
    explicit service(service_config config);

    reply handle(const request& req);

    // Requests the platforms make themselves (YouTube's WebSub hub), and their answers.
    std::vector<youtube::outgoing_call> take_outgoing() { return youtube_.take_outgoing(); }
    void answered(std::uint64_t id, unsigned status, std::string_view body) {
        youtube_.answered(id, status, body);
    }

private:
    twitch::service twitch_;
    kick::service kick_;
    youtube::service youtube_;
};

} // namespace streamscope::platform_mock

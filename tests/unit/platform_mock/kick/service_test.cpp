#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "tests/platform_mock/service.hpp"

using namespace streamscope::platform_mock;

namespace {

service_config small(std::uint32_t kick_limit, kick::retry_after_mode retry_after) {
    service_config config;
    config.twitch.world.streams = 50;
    config.twitch.world.channels = 100;
    config.kick.world.streams = 300;
    config.kick.world.channels = 600;
    config.kick.rate_limit_per_minute = kick_limit;
    config.kick.retry_after = retry_after;
    return config;
}

struct answer {
    unsigned status;
    boost::json::value body;
    reply raw;

    std::optional<std::string> header(std::string_view name) const {
        for (const auto& [n, v] : raw.headers) {
            if (n == name) {
                return v;
            }
        }
        return std::nullopt;
    }
};

answer call(service& svc, std::string_view method, std::string_view target,
            std::optional<std::string_view> authorization = std::nullopt,
            std::string_view body = "") {
    reply r = svc.handle({method, target, authorization, std::nullopt, body, ""});
    boost::json::value json;
    if (!r.body.empty() && r.content_type.starts_with("application/json")) {
        json = boost::json::parse(r.body);
    }
    return {r.status, json, std::move(r)};
}

constexpr std::string_view good_form = "grant_type=client_credentials&client_id=mock-kick-client-id"
                                       "&client_secret=mock-kick-client-secret";

std::string bearer(service& svc) {
    const auto token = call(svc, "POST", "/oauth/token", std::nullopt, good_form);
    REQUIRE(token.status == 200);
    return "Bearer " + std::string(token.body.at("access_token").as_string());
}

} // namespace

TEST_CASE("Kick's token endpoint: 200, 401 for wrong credentials, 400 for the rest",
          "[unit][platform_mock]") {
    service svc(small(0, kick::retry_after_mode::on));
    const auto ok = call(svc, "POST", "/oauth/token", std::nullopt, good_form);
    REQUIRE(ok.status == 200);
    CHECK(ok.body.at("token_type") == "Bearer");
    CHECK(ok.body.at("expires_in").as_int64() > 0);
    CHECK(ok.body.at("access_token").as_string().size() == 48);

    const auto wrong = call(svc, "POST", "/oauth/token", std::nullopt,
                            "grant_type=client_credentials&client_id=mock-kick-client-id"
                            "&client_secret=nope");
    CHECK(wrong.status == 401);
    CHECK(wrong.body.at("error") == "invalid_client");
    CHECK(call(svc, "POST", "/oauth/token", std::nullopt,
               "grant_type=password&client_id=a&client_secret=b")
              .status == 400);
    CHECK(call(svc, "POST", "/oauth/token", std::nullopt, "grant_type=client_credentials").status ==
          400);
    CHECK(call(svc, "GET", "/oauth/token").status == 405);
    // Twitch's own token endpoint is another path and another client.
    CHECK(call(svc, "POST", "/oauth2/token", std::nullopt, good_form).status == 400);
}

TEST_CASE("Kick's /public needs a live bearer token", "[unit][platform_mock]") {
    service svc(small(0, kick::retry_after_mode::on));
    const std::string token = bearer(svc);
    CHECK(call(svc, "GET", "/public/v1/livestreams/stats", token).status == 200);
    CHECK(call(svc, "GET", "/public/v1/livestreams/stats").status == 401);
    CHECK(call(svc, "GET", "/public/v1/livestreams/stats", "Bearer nope").status == 401);
    const auto revoked = call(svc, "POST", "/_mock/kick/tokens/revoke");
    CHECK(revoked.body.at("revoked") == 1);
    const auto denied = call(svc, "GET", "/public/v2/livestreams", token);
    CHECK(denied.status == 401);
    CHECK(denied.body.at("message") == "Unauthorized");
    CHECK(call(svc, "GET", "/public/v2/livestreams", bearer(svc)).status == 200);
    CHECK(call(svc, "GET", "/public/v9/nothing", token).status == 404);
}

TEST_CASE("beyond Kick's limit: 429, Retry-After as configured, never rate-limit headers",
          "[unit][platform_mock]") {
    for (const auto mode : {kick::retry_after_mode::on, kick::retry_after_mode::off}) {
        service svc(small(2, mode));
        const std::string token = bearer(svc);
        CHECK(call(svc, "GET", "/public/v1/livestreams/stats", token).status == 200);
        CHECK(call(svc, "GET", "/public/v2/livestreams?limit=5", token).status == 200);
        const auto limited = call(svc, "GET", "/public/v2/livestreams?limit=5", token);
        REQUIRE(limited.status == 429);
        CHECK(limited.body.at("message") == "Too Many Requests");
        CHECK_FALSE(limited.raw.rate_limit);
        const auto retry_after = limited.header("Retry-After");
        if (mode == kick::retry_after_mode::on) {
            REQUIRE(retry_after);
            CHECK(std::stoi(*retry_after) >= 1);
            CHECK(std::stoi(*retry_after) <= 60);
        } else {
            CHECK_FALSE(retry_after);
        }
        // The token endpoint is not limited; the admin stats count the 429.
        CHECK(call(svc, "POST", "/oauth/token", std::nullopt, good_form).status == 200);
        const auto stats = call(svc, "GET", "/_mock/kick/stats").body;
        CHECK(stats.at("rate_limited") == 1);
        CHECK(stats.at("retry_after_sent") == (mode == kick::retry_after_mode::on ? 1 : 0));
        CHECK(stats.at("responses").at("429") == 1);
        CHECK(stats.at("requests").at("/public/v2/livestreams") == 2);
    }
}

TEST_CASE("Kick's faults stay on Kick's paths; bad_record shows in the stats",
          "[unit][platform_mock]") {
    service svc(small(0, kick::retry_after_mode::on));
    const std::string token = bearer(svc);
    const auto added = call(svc, "POST", "/_mock/kick/faults", std::nullopt,
                            R"([{"kind":"bad_record","count":4},
                                {"kind":"5xx","status":502,"count":1,"after":4}])");
    REQUIRE(added.status == 200);
    // Twitch's paths and faults are another table.
    CHECK(call(svc, "GET", "/_mock/faults").body.at("faults").as_array().empty());

    std::vector<std::string> broken;
    for (int page = 0; page < 4; ++page) {
        const auto r = call(svc, "GET", "/public/v2/livestreams?limit=50", token);
        REQUIRE(r.status == 200);
        for (const auto& item : r.body.at("data").as_array()) {
            const auto& o = item.as_object();
            const auto* viewers = o.if_contains("viewer_count");
            bool bad = !o.contains("broadcaster_user") || viewers->is_null() ||
                       viewers->as_int64() > INT32_MAX;
            for (const auto& tag : o.at("tags").as_array()) {
                bad = bad || !tag.is_string();
            }
            if (bad) {
                broken.emplace_back(o.at("id").as_string());
            }
        }
    }
    REQUIRE(broken.size() == 4);
    const auto gateway = call(svc, "GET", "/public/v2/livestreams", token);
    CHECK(gateway.status == 502);
    CHECK(gateway.raw.content_type.starts_with("text/html"));

    const auto stats = call(svc, "GET", "/_mock/kick/stats").body;
    const auto& corrupted = stats.at("corrupted_records").as_array();
    REQUIRE(corrupted.size() == 4);
    std::vector<std::string> hows;
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(corrupted[i].at("id").as_string() == broken[i]);
        hows.emplace_back(corrupted[i].at("how").as_string());
    }
    CHECK(hows == std::vector<std::string>{"null_viewer_count", "numeric_tag",
                                           "viewer_count_overflow", "missing_broadcaster_user"});
    CHECK(stats.at("corrupted_total") == 4);
    CHECK(stats.at("faults_triggered") == 5);
}

TEST_CASE("Kick's admin API: its world oldest first, ticks, and Twitch's paths unchanged",
          "[unit][platform_mock]") {
    service svc(small(0, kick::retry_after_mode::on));
    const auto world = call(svc, "GET", "/_mock/kick/world").body;
    const auto& live = world.at("live").as_array();
    REQUIRE(live.size() == 300);
    CHECK(live[0].at("broadcaster_user_id").is_int64());
    CHECK(live[0].at("id").is_string());
    const auto ticked = call(svc, "POST", "/_mock/kick/world/tick?n=3");
    CHECK(ticked.body.at("tick") == 3);
    CHECK(call(svc, "GET", "/_mock/kick/stats").body.at("tick") == 3);
    CHECK(call(svc, "GET", "/_mock/stats").body.at("tick") == 0);
    CHECK(call(svc, "GET", "/_mock/world").body.at("live").as_array().size() == 50);
    const auto helix = call(svc, "GET", "/helix/streams");
    CHECK(helix.status == 401);
    CHECK(helix.body.at("message") == "OAuth token is missing");
}

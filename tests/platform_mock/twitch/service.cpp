#include "tests/platform_mock/twitch/service.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <initializer_list>

#include <boost/json/serialize.hpp>

#include "tests/platform_mock/route_table.hpp"
#include "tests/platform_mock/twitch/errors.hpp"
#include "tests/platform_mock/twitch/helix_api.hpp"

namespace streamscope::platform_mock::twitch {

namespace {

enum class area {
    oauth, // id.twitch.tv: no Helix auth, not rate limited, faults apply
    helix, // api.twitch.tv/helix: auth, rate limit, faults
    admin, // /_mock: none of that, never counted by fault rules
};

// "Bearer abc" -> "abc" when the scheme is one of `schemes` (case-insensitive, as HTTP says).
std::optional<std::string_view> credentials(std::optional<std::string_view> header,
                                            std::initializer_list<std::string_view> schemes) {
    if (!header) {
        return std::nullopt;
    }
    const auto space = header->find(' ');
    if (space == std::string_view::npos) {
        return std::nullopt;
    }
    const auto scheme = header->substr(0, space);
    for (auto s : schemes) {
        if (std::equal(scheme.begin(), scheme.end(), s.begin(), s.end(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            })) {
            auto token = header->substr(space + 1);
            while (!token.empty() && token.front() == ' ') {
                token.remove_prefix(1);
            }
            return token;
        }
    }
    return std::nullopt;
}

reply too_many_requests(const rate_limit_headers& headers) {
    reply r = helix_error(429, "Too Many Requests");
    r.rate_limit = headers;
    return r;
}

} // namespace

struct service::call {
    const request& req;
    const query& q;
    const fault_effects& effects;
};

struct service::route {
    std::string_view method;
    std::string_view path;
    area where;
    reply (service::*handler)(const call&);
};

// The whole API. Exact paths only: none of these routes has parameters in its path.
const service::route service::routes[] = {
    {"POST", "/oauth2/token", area::oauth, &service::oauth_token},
    {"GET", "/oauth2/validate", area::oauth, &service::oauth_validate},
    {"GET", "/helix/streams", area::helix, &service::helix_streams},
    {"GET", "/helix/users", area::helix, &service::helix_users},
    {"GET", "/helix/games", area::helix, &service::helix_games},
    {"GET", "/helix/channels/followers", area::helix, &service::helix_followers},
    {"POST", "/_mock/faults", area::admin, &service::admin_add_faults},
    {"GET", "/_mock/faults", area::admin, &service::admin_list_faults},
    {"DELETE", "/_mock/faults", area::admin, &service::admin_clear_faults},
    {"GET", "/_mock/world", area::admin, &service::admin_world},
    {"POST", "/_mock/world/tick", area::admin, &service::admin_tick},
    {"GET", "/_mock/stats", area::admin, &service::admin_stats},
};

service::service(service_config config)
    : config_(std::move(config)),
      world_(config_.world,
             config_.fixed_start.value_or(
                 std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()))),
      tokens_(config_.client_id, config_.client_secret, config_.world.seed),
      bucket_(config_.rate_limit_per_minute, std::chrono::system_clock::now()),
      instance_(rng::mix(config_.world.seed ^ 0x157a9ce0000ULL)) {
    faults_.add(std::move(config_.faults));
}

time::timestamp service::world_now() const {
    if (config_.fixed_start) {
        return *config_.fixed_start + std::chrono::seconds(world_.tick_count());
    }
    return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

reply service::handle(const request& req,
                      const boost::system::result<boost::urls::url_view>& target) {
    if (!target) {
        traffic_.count_request("", false);
        traffic_.count_response(400);
        return helix_error(400, "malformed request target");
    }
    const std::string path = target->path();
    const auto q = query::parse(target->encoded_query());
    const auto [match, allow] = find_route<route>(routes, req.method, path);
    traffic_.count_request(path, !allow.empty());

    reply out;
    if (!q) {
        out = helix_error(400, "malformed query string");
    } else if (match == nullptr && allow.empty()) {
        out = helix_error(404, "Not Found");
    } else if (match == nullptr) {
        out = helix_error(405, "Method Not Allowed");
        out.headers.emplace_back("Allow", allow);
    } else if (match->where == area::admin) {
        const fault_effects none;
        out = (this->*match->handler)({req, *q, none});
    } else {
        const bool is_streams = path == "/helix/streams";
        const fault_effects effects =
            faults_.match({path, is_streams, is_streams && q->has("after")});
        out = guarded(*match, {req, *q, effects});
    }
    if (!out.rate_limit && path.starts_with("/helix/") && (match == nullptr || !q)) {
        // Helix sends the headers with every answer, its 404s and 400s included.
        out.rate_limit = bucket_.peek(std::chrono::system_clock::now());
    }
    traffic_.count_response(out.status);
    return out;
}

// The order in which faults, authentication and the rate limit apply to OAuth and Helix
// requests: a reset or a revocation comes first (before anything else is looked at); a storm
// and a real 429 only hit authenticated Helix requests; 5xx and invalid JSON replace the
// answer of a request that passed (and paid for) the rate limit; the rest modify the answer.
reply service::guarded(const route& r, const call& c) {
    const fault_effects& effects = c.effects;
    if (effects.revoke_tokens) {
        tokens_.revoke_all();
    }
    reply out;
    if (effects.reset) {
        out.status = 0; // nothing is sent; the stats count it apart from real answers
        out.how = delivery::reset;
        return out;
    }
    const auto respond = [&] {
        if (effects.server_error) {
            return helix_error(*effects.server_error, "");
        }
        if (effects.invalid_json) {
            reply broken;
            broken.body = R"({"data":[{"id":"40000000001","user_id":"12345",)"
                          "\n<html>";
            return broken;
        }
        return (this->*r.handler)(c);
    };
    const auto now = std::chrono::system_clock::now();
    if (r.where != area::helix) {
        out = respond();
    } else if (auto denied = authenticate(c.req)) {
        out = std::move(*denied);
        out.rate_limit = bucket_.peek(now);
    } else if (effects.rate_limit_storm) {
        auto headers = bucket_.peek(now);
        headers.remaining = 0;
        headers.reset =
            std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() +
            effects.storm_reset_s;
        out = too_many_requests(headers);
        ++rate_limited_;
    } else if (const auto taken = bucket_.take(now); !taken.allowed) {
        out = too_many_requests(taken.headers);
        ++rate_limited_;
    } else {
        out = respond();
        out.rate_limit = taken.headers;
    }
    if (effects.omit_ratelimit_headers) {
        out.rate_limit.reset();
    }
    if (effects.truncate) {
        out.how = delivery::truncate;
    }
    out.delay = effects.delay;
    return out;
}

std::optional<reply> service::authenticate(const request& req) const {
    if (!req.authorization || req.authorization->empty()) {
        return helix_error(401, "OAuth token is missing");
    }
    const auto token = credentials(req.authorization, {"Bearer"});
    if (!token || token->empty() || !tokens_.remaining(*token, std::chrono::system_clock::now())) {
        return helix_error(401, "Invalid OAuth token");
    }
    if (!req.client_id || *req.client_id != tokens_.client_id()) {
        return helix_error(401, "Client ID and OAuth token do not match");
    }
    return std::nullopt;
}

reply service::oauth_token(const call& c) {
    // Twitch takes the parameters from the form body or from the query string.
    auto body = query::parse(c.req.body);
    if (!body) {
        return oauth_error(400, "invalid request body");
    }
    const auto param = [&](std::string_view key) {
        auto v = body->first(key);
        return v ? v : c.q.first(key);
    };
    const auto client_id = param("client_id");
    const auto secret = param("client_secret");
    const auto grant = param("grant_type");
    if (!client_id || client_id->empty()) {
        return oauth_error(400, "missing client id");
    }
    if (*client_id != tokens_.client_id()) {
        return oauth_error(400, "invalid client");
    }
    if (!secret || secret->empty()) {
        return oauth_error(400, "missing client secret");
    }
    if (!tokens_.secret_matches(*secret)) {
        return oauth_error(403, "invalid client secret");
    }
    if (!grant || grant->empty()) {
        return oauth_error(400, "missing grant type");
    }
    if (*grant != "client_credentials") {
        return oauth_error(400, "unsupported grant type");
    }
    return json_reply(200, boost::json::object{
                               {"access_token", tokens_.issue(std::chrono::system_clock::now())},
                               {"expires_in", tokens_.lifetime_s()},
                               {"token_type", "bearer"},
                           });
}

reply service::oauth_validate(const call& c) {
    const auto token = credentials(c.req.authorization, {"OAuth", "Bearer"});
    const auto left =
        token ? tokens_.remaining(*token, std::chrono::system_clock::now()) : std::nullopt;
    if (!left) {
        return oauth_error(401, "invalid access token");
    }
    return json_reply(200, boost::json::object{
                               {"client_id", tokens_.client_id()},
                               {"login", nullptr},
                               {"scopes", boost::json::array{}},
                               {"user_id", nullptr},
                               {"expires_in", *left},
                           });
}

reply service::helix_streams(const call& c) {
    return get_streams(world_, c.q,
                       {config_.churn, instance_, world_now(), &c.effects, &last_filtered_});
}

reply service::helix_users(const call& c) {
    return get_users(world_, c.q);
}

reply service::helix_games(const call& c) {
    return get_games(world_, c.q);
}

reply service::helix_followers(const call& c) {
    return get_channel_followers(world_, c.q, config_.followers_forbidden,
                                 c.effects.omit_pagination);
}

reply service::admin_add_faults(const call& c) {
    auto added = faults_.add_json(c.req.body, default_fault_path);
    return added ? json_reply(200, *added) : helix_error(400, added.error());
}

reply service::admin_list_faults(const call&) {
    return json_reply(200, faults_.describe());
}

reply service::admin_clear_faults(const call&) {
    return json_reply(200, boost::json::object{{"cleared", faults_.clear()}});
}

reply service::admin_world(const call&) {
    reply r;
    r.body = world_snapshot(world_);
    return r;
}

reply service::admin_tick(const call& c) {
    std::uint64_t n = 1;
    if (const auto text = c.q.first("n")) {
        const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
        if (text->empty() || ec != std::errc{} || ptr != text->data() + text->size() || n < 1 ||
            n > 1'000'000) {
            return helix_error(400, "n must be an integer from 1 to 1000000");
        }
    }
    for (std::uint64_t i = 0; i < n; ++i) {
        world_.tick(world_now());
    }
    return json_reply(
        200, boost::json::object{{"tick", world_.tick_count()}, {"live", world_.ranking().size()}});
}

reply service::admin_stats(const call&) {
    // The bucket as it stands, so that a benchmark can say how long a sweep had to take.
    const rate_limit_headers bucket = bucket_.peek(std::chrono::system_clock::now());
    return json_reply(200, boost::json::object{
                               {"requests", traffic_.requests()},
                               {"responses", traffic_.responses()},
                               {"rate_limited", rate_limited_},
                               {"bucket_remaining", bucket.remaining},
                               {"tokens_issued", tokens_.issued()},
                               {"faults_triggered", faults_.triggered_total()},
                               {"tick", world_.tick_count()},
                               {"live", world_.ranking().size()},
                           });
}

} // namespace streamscope::platform_mock::twitch

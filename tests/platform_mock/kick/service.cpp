#include "tests/platform_mock/kick/service.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "tests/platform_mock/kick/errors.hpp"
#include "tests/platform_mock/route_table.hpp"

namespace streamscope::platform_mock::kick {
namespace {

enum class area {
    oauth, // id.kick.com: no bearer token, not rate limited, faults apply
    api,   // api.kick.com/public: bearer token, rate limit, faults
    admin, // /_mock/kick: none of that, never counted by fault rules
};

constexpr std::size_t max_corrupted_listed = 10'000;

// "Bearer abc" -> "abc" (the scheme case-insensitive, as HTTP says).
std::optional<std::string_view> bearer_token(std::optional<std::string_view> header) {
    constexpr std::string_view scheme = "bearer ";
    if (!header || header->size() <= scheme.size() ||
        !std::equal(scheme.begin(), scheme.end(), header->begin(), [](char a, char b) {
            return a == std::tolower(static_cast<unsigned char>(b));
        })) {
        return std::nullopt;
    }
    auto token = header->substr(scheme.size());
    while (!token.empty() && token.front() == ' ') {
        token.remove_prefix(1);
    }
    return token.empty() ? std::nullopt : std::optional(token);
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

// The whole of Kick. Exact paths only, as Kick writes them.
const service::route service::routes[] = {
    {"POST", "/oauth/token", area::oauth, &service::oauth_token},
    {"GET", listing_path, area::api, &service::list_livestreams},
    {"GET", lookup_path, area::api, &service::users_livestreams},
    {"GET", "/public/v1/livestreams/stats", area::api, &service::livestreams_stats},
    {"POST", "/_mock/kick/faults", area::admin, &service::admin_add_faults},
    {"GET", "/_mock/kick/faults", area::admin, &service::admin_list_faults},
    {"DELETE", "/_mock/kick/faults", area::admin, &service::admin_clear_faults},
    {"GET", "/_mock/kick/world", area::admin, &service::admin_world},
    {"POST", "/_mock/kick/world/tick", area::admin, &service::admin_tick},
    {"GET", "/_mock/kick/stats", area::admin, &service::admin_stats},
    {"POST", "/_mock/kick/tokens/revoke", area::admin, &service::admin_revoke_tokens},
};

service::service(service_config config)
    : config_(std::move(config)),
      world_(config_.world,
             config_.fixed_start.value_or(
                 std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()))),
      tokens_(config_.client_id, config_.client_secret, config_.world.seed, kick_tokens),
      limit_(config_.rate_limit_per_minute), instance_(rng::mix(config_.world.seed ^ 0x6b1c4ULL)),
      random_(rng::mix(config_.world.seed ^ 0x6b1c4e55ULL)) {
    faults_.add(std::move(config_.faults));
}

bool service::owns(std::string_view path) {
    return path.starts_with("/oauth/") || path.starts_with("/public/") ||
           path.starts_with("/_mock/kick/") || path == "/_mock/kick";
}

time::timestamp service::world_now() const {
    if (config_.fixed_start) {
        return *config_.fixed_start + std::chrono::seconds(world_.tick_count());
    }
    return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

reply service::handle(const request& req,
                      const boost::system::result<boost::urls::url_view>& target) {
    const std::string path = target->path();
    const auto q = query::parse(target->encoded_query());
    const auto [match, allow] = find_route<route>(routes, req.method, path);
    traffic_.count_request(path, !allow.empty());

    reply out;
    if (!q) {
        out = api_error(400, "malformed query string");
    } else if (match == nullptr && allow.empty()) {
        out = api_error(404, "Not Found");
    } else if (match == nullptr) {
        out = api_error(405, "Method Not Allowed");
        out.headers.emplace_back("Allow", allow);
    } else if (match->where == area::admin) {
        const fault_effects none;
        out = (this->*match->handler)({req, *q, none});
    } else {
        const bool is_listing = path == listing_path;
        const auto cursor = q->first("cursor");
        const fault_effects effects =
            faults_.match({path, is_listing, is_listing && cursor && !cursor->empty(),
                           is_listing || path == lookup_path});
        const std::size_t corrupted_before = corrupted_.size();
        out = guarded(*match, {req, *q, effects});
        corrupted_total_ += corrupted_.size() - corrupted_before;
        if (corrupted_.size() > max_corrupted_listed) {
            corrupted_.resize(max_corrupted_listed);
        }
    }
    traffic_.count_response(out.status);
    return out;
}

// As for Twitch: a reset or a revocation comes first; a storm and a real 429 only hit
// authenticated API requests; 5xx and invalid JSON replace the answer of a request that passed
// (and counted against) the limit; the rest modify the answer.
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
            return server_error(*effects.server_error);
        }
        if (effects.invalid_json) {
            reply broken;
            broken.body = R"({"data":[{"id":"40000000001","broadcaster_user":{"id":12345,)"
                          "\n<html>";
            return broken;
        }
        return (this->*r.handler)(c);
    };
    if (r.where != area::api) {
        out = respond();
    } else if (auto denied = authenticate(c.req)) {
        out = std::move(*denied);
    } else if (effects.rate_limit_storm) {
        out = too_many_requests(std::chrono::seconds(effects.storm_reset_s));
    } else if (const auto taken =
                   limit_.take(tokens_.client_id(), std::chrono::system_clock::now());
               !taken.allowed) {
        out = too_many_requests(taken.retry_after);
    } else {
        out = respond();
    }
    if (effects.truncate) {
        out.how = delivery::truncate;
    }
    out.delay = effects.delay;
    return out;
}

std::optional<reply> service::authenticate(const request& req) const {
    const auto token = bearer_token(req.authorization);
    if (!token || !tokens_.remaining(*token, std::chrono::system_clock::now())) {
        return api_error(401, "Unauthorized");
    }
    return std::nullopt;
}

reply service::too_many_requests(std::chrono::seconds retry_after) {
    ++rate_limited_;
    reply r = api_error(429, "Too Many Requests");
    const bool say = config_.retry_after == retry_after_mode::on ||
                     (config_.retry_after == retry_after_mode::random && random_.chance(0.5));
    if (say) {
        ++retry_after_sent_;
        r.headers.emplace_back("Retry-After",
                               std::to_string(std::max<std::int64_t>(retry_after.count(), 1)));
    }
    return r;
}

page_context service::page(const call& c, bool churn) {
    return {config_.listing, churn, instance_, world_now(), &c.effects, &random_, &corrupted_};
}

reply service::oauth_token(const call& c) {
    // id.kick.com reads the form body only.
    const auto body = query::parse(c.req.body);
    if (!body) {
        return oauth_error(400, "invalid_request", "the body is not form-urlencoded");
    }
    const auto grant = body->first("grant_type");
    const auto client_id = body->first("client_id");
    const auto secret = body->first("client_secret");
    if (!grant || grant->empty()) {
        return oauth_error(400, "invalid_request", "grant_type is required");
    }
    if (*grant != "client_credentials") {
        return oauth_error(400, "unsupported_grant_type",
                           "only client_credentials is supported for app tokens");
    }
    if (!client_id || client_id->empty() || !secret || secret->empty()) {
        return oauth_error(400, "invalid_request", "client_id and client_secret are required");
    }
    if (*client_id != tokens_.client_id() || !tokens_.secret_matches(*secret)) {
        return oauth_error(401, "invalid_client", "client authentication failed");
    }
    return json_reply(200, boost::json::object{
                               {"access_token", tokens_.issue(std::chrono::system_clock::now())},
                               {"token_type", "Bearer"},
                               {"expires_in", tokens_.lifetime_s()},
                           });
}

reply service::list_livestreams(const call& c) {
    return kick::list_livestreams(world_, c.q, page(c, config_.churn));
}

reply service::users_livestreams(const call& c) {
    return kick::users_livestreams(world_, c.q, page(c, false));
}

reply service::livestreams_stats(const call&) {
    return kick::livestreams_stats(world_);
}

reply service::admin_add_faults(const call& c) {
    auto added = faults_.add_json(c.req.body, default_fault_path);
    return added ? json_reply(200, *added) : api_error(400, added.error());
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
            return api_error(400, "n must be an integer from 1 to 1000000");
        }
    }
    for (std::uint64_t i = 0; i < n; ++i) {
        world_.tick(world_now());
    }
    return json_reply(
        200, boost::json::object{{"tick", world_.tick_count()}, {"live", world_.ranking().size()}});
}

reply service::admin_stats(const call&) {
    boost::json::array corrupted;
    for (const auto& record : corrupted_) {
        corrupted.push_back(boost::json::object{
            {"id", record.stream_id},
            {"how", record_corruption_name(record.how)},
            {"path", record.path},
        });
    }
    return json_reply(200, boost::json::object{
                               {"requests", traffic_.requests()},
                               {"responses", traffic_.responses()},
                               {"rate_limited", rate_limited_},
                               {"retry_after_sent", retry_after_sent_},
                               {"tokens_issued", tokens_.issued()},
                               {"faults_triggered", faults_.triggered_total()},
                               {"corrupted_records", std::move(corrupted)},
                               {"corrupted_total", corrupted_total_},
                               {"tick", world_.tick_count()},
                               {"live", world_.ranking().size()},
                           });
}

reply service::admin_revoke_tokens(const call&) {
    return json_reply(200, boost::json::object{{"revoked", tokens_.revoke_all()}});
}

} // namespace streamscope::platform_mock::kick

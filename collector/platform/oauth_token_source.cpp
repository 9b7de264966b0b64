#include "collector/platform/oauth_token_source.hpp"

#include <random>

#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <spdlog/spdlog.h>

#include "collector/platform/json_fields.hpp"
#include "common/time/sleep.hpp"

namespace streamscope::collector {
namespace beast = boost::beast;

namespace {

constexpr auto validate_every = std::chrono::hours(1);

std::string form_value(std::string_view v) {
    return boost::urls::encode(v, boost::urls::unreserved_chars);
}

} // namespace

oauth_token_source::oauth_token_source(http::client& auth, credentials creds,
                                       time::backoff_policy retry, oauth_endpoint endpoint)
    : auth_(auth), creds_(std::move(creds)), retry_(retry), endpoint_(std::move(endpoint)) {}

boost::asio::awaitable<http::response>
oauth_token_source::send_with_retries(http::request req, std::string_view what) {
    std::minstd_rand random{std::random_device{}()};
    for (int retry = 0;; ++retry) {
        std::string failure;
        try {
            http::response res = co_await auth_.send(req);
            if (res.result_int() < 500) {
                co_return res;
            }
            failure = "HTTP " + std::to_string(res.result_int());
        } catch (const boost::system::system_error& e) {
            failure = e.code().message();
        }
        if (retry >= retry_.max_retries) {
            throw platform_unavailable(
                endpoint_.platform + "'s token service (" + auth_.where().to_string() +
                ") failed " + std::string(what) + " " + std::to_string(retry + 1) +
                " times, last: " + failure + "; check the network and " + endpoint_.auth_setting);
        }
        const auto wait = retry_.delay(retry, random);
        spdlog::warn("{} failed ({}); retry {} of {} in {} ms", what, failure, retry + 1,
                     retry_.max_retries, wait.count());
        co_await time::sleep_for(wait);
    }
}

boost::asio::awaitable<void> oauth_token_source::fetch() {
    http::request req{beast::http::verb::post, auth_.where().base_path + endpoint_.token_path, 11};
    req.set(beast::http::field::content_type, "application/x-www-form-urlencoded");
    req.body() = "client_id=" + form_value(creds_.client_id) +
                 "&client_secret=" + form_value(creds_.client_secret.reveal()) +
                 "&grant_type=client_credentials";
    const std::string what = "getting a " + endpoint_.platform + " app token";
    http::response res = co_await send_with_retries(std::move(req), what);
    if (res.result_int() != 200) {
        // 400 (unknown client), 401 or 403 (wrong secret): the settings are wrong.
        throw credentials_rejected(endpoint_.platform + " refused the app credentials (" +
                                   describe_error(res.result_int(), res.body()) + "): check " +
                                   endpoint_.id_setting + " and " + endpoint_.secret_setting +
                                   " (the client id and secret of " + endpoint_.console + ")");
    }
    try {
        const boost::json::value answer = boost::json::parse(res.body());
        const boost::json::object* o = answer.if_object();
        if (o == nullptr) {
            bad_field("(body)", "an object");
        }
        token_ = json_text(*o, "access_token");
        expires_at_ =
            std::chrono::system_clock::now() + std::chrono::seconds(json_integer(*o, "expires_in"));
    } catch (const std::exception& e) {
        throw platform_unavailable(endpoint_.platform +
                                   "'s token response is not valid: " + e.what());
    }
    spdlog::info("got a {} app access token for client id {}", endpoint_.platform,
                 creds_.client_id);
    validated_at_ = std::chrono::steady_clock::time_point{}; // validate the new one at once
}

boost::asio::awaitable<bool> oauth_token_source::validate() {
    http::request req{beast::http::verb::get, auth_.where().base_path + endpoint_.validate_path,
                      11};
    req.set(beast::http::field::authorization, "OAuth " + *token_);
    http::response res = co_await send_with_retries(std::move(req), "validating the app token");
    if (res.result_int() == 401) {
        co_return false;
    }
    if (res.result_int() != 200) {
        throw platform_unavailable("validating the " + endpoint_.platform +
                                   " app token: " + describe_error(res.result_int(), res.body()));
    }
    std::string client_id;
    std::int64_t expires_in = 0;
    try {
        const boost::json::value answer = boost::json::parse(res.body());
        const boost::json::object* o = answer.if_object();
        if (o == nullptr) {
            bad_field("(body)", "an object");
        }
        client_id = json_optional_text(*o, "client_id");
        expires_in = json_integer(*o, "expires_in");
    } catch (const std::exception& e) {
        throw platform_unavailable("validating the " + endpoint_.platform +
                                   " app token: the answer is not valid: " + e.what());
    }
    if (!client_id.empty() && client_id != creds_.client_id) {
        throw credentials_rejected("the app token belongs to client id " + client_id + ", not to " +
                                   endpoint_.id_setting + " " + creds_.client_id);
    }
    validated_at_ = std::chrono::steady_clock::now();
    expires_at_ = std::chrono::system_clock::now() + std::chrono::seconds(expires_in);
    spdlog::debug("{} app token valid for {} more seconds", endpoint_.platform, expires_in);
    co_return true;
}

boost::asio::awaitable<std::string> oauth_token_source::token() {
    if (!token_) {
        co_await fetch();
    }
    if (!endpoint_.validate_path.empty() &&
        std::chrono::steady_clock::now() - validated_at_ >= validate_every) {
        // (co_await outside the if: GCC 12 mishandles an awaitable inside a condition.)
        const bool valid = co_await validate();
        if (!valid) {
            spdlog::warn("the {} app token is no longer valid; getting a new one",
                         endpoint_.platform);
            co_await fetch();
            const bool fresh_valid = co_await validate();
            if (!fresh_valid) {
                throw credentials_rejected(
                    endpoint_.platform + " rejects the app token it has just issued: check " +
                    endpoint_.id_setting + " and " + endpoint_.secret_setting);
            }
        }
    }
    co_return *token_;
}

boost::asio::awaitable<void> oauth_token_source::renew(const std::string& rejected) {
    if (token_ && *token_ == rejected) {
        token_.reset();
    }
    (void)co_await token();
}

} // namespace streamscope::collector

#include "collector/twitch/token_source.hpp"

#include <random>

#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <spdlog/spdlog.h>

#include "collector/twitch/models.hpp"
#include "common/time/sleep.hpp"

namespace streamscope::twitch {
namespace beast = boost::beast;

namespace {

constexpr auto validate_every = std::chrono::hours(1);

std::string form_value(std::string_view v) {
    return boost::urls::encode(v, boost::urls::unreserved_chars);
}

} // namespace

token_source::token_source(http::client& auth, credentials creds, time::backoff_policy retry)
    : auth_(auth), creds_(std::move(creds)), retry_(retry) {}

boost::asio::awaitable<http::response> token_source::send_with_retries(http::request req,
                                                                       std::string_view what) {
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
            throw twitch_unavailable("Twitch's token service (" + auth_.where().to_string() +
                                     ") failed " + std::string(what) + " " +
                                     std::to_string(retry + 1) + " times, last: " + failure +
                                     "; check the network and TWITCH_AUTH_BASE_URL");
        }
        const auto wait = retry_.delay(retry, random);
        spdlog::warn("{} failed ({}); retry {} of {} in {} ms", what, failure, retry + 1,
                     retry_.max_retries, wait.count());
        co_await time::sleep_for(wait);
    }
}

boost::asio::awaitable<void> token_source::fetch() {
    http::request req{beast::http::verb::post, auth_.where().base_path + "/token", 11};
    req.set(beast::http::field::content_type, "application/x-www-form-urlencoded");
    req.body() = "client_id=" + form_value(creds_.client_id) +
                 "&client_secret=" + form_value(creds_.client_secret.reveal()) +
                 "&grant_type=client_credentials";
    http::response res = co_await send_with_retries(std::move(req), "getting an app token");
    if (res.result_int() != 200) {
        // 400 (unknown client) or 403 (wrong secret): the settings are wrong.
        throw credentials_rejected(
            "Twitch refused the app credentials (" + describe_error(res.result_int(), res.body()) +
            "): check TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET (the client id and secret of "
            "an application registered at https://dev.twitch.tv/console)");
    }
    try {
        const auto issued = boost::json::value_to<app_token>(boost::json::parse(res.body()));
        token_ = issued.access_token;
        expires_at_ = std::chrono::system_clock::now() + std::chrono::seconds(issued.expires_in);
    } catch (const std::exception& e) {
        throw twitch_unavailable(std::string("Twitch's token response is not valid: ") + e.what());
    }
    spdlog::info("got a Twitch app access token for client id {}", creds_.client_id);
    validated_at_ = std::chrono::steady_clock::time_point{}; // validate the new one at once
}

boost::asio::awaitable<bool> token_source::validate() {
    http::request req{beast::http::verb::get, auth_.where().base_path + "/validate", 11};
    req.set(beast::http::field::authorization, "OAuth " + *token_);
    http::response res = co_await send_with_retries(std::move(req), "validating the app token");
    if (res.result_int() == 401) {
        co_return false;
    }
    if (res.result_int() != 200) {
        throw twitch_unavailable("validating the app token: " +
                                 describe_error(res.result_int(), res.body()));
    }
    const auto info = boost::json::value_to<token_info>(boost::json::parse(res.body()));
    if (!info.client_id.empty() && info.client_id != creds_.client_id) {
        throw credentials_rejected("the app token belongs to client id " + info.client_id +
                                   ", not to TWITCH_CLIENT_ID " + creds_.client_id);
    }
    validated_at_ = std::chrono::steady_clock::now();
    expires_at_ = std::chrono::system_clock::now() + std::chrono::seconds(info.expires_in);
    spdlog::debug("app token valid for {} more seconds", info.expires_in);
    co_return true;
}

boost::asio::awaitable<std::string> token_source::token() {
    if (!token_) {
        co_await fetch();
    }
    if (std::chrono::steady_clock::now() - validated_at_ >= validate_every) {
        // (co_await outside the if: GCC 12 mishandles an awaitable inside a condition.)
        const bool valid = co_await validate();
        if (!valid) {
            spdlog::warn("the app token is no longer valid; getting a new one");
            co_await fetch();
            const bool fresh_valid = co_await validate();
            if (!fresh_valid) {
                throw credentials_rejected(
                    "Twitch rejects the app token it has just issued: check TWITCH_CLIENT_ID "
                    "and TWITCH_CLIENT_SECRET");
            }
        }
    }
    co_return *token_;
}

boost::asio::awaitable<void> token_source::renew(const std::string& rejected) {
    if (token_ && *token_ == rejected) {
        token_.reset();
    }
    (void)co_await token();
}

} // namespace streamscope::twitch

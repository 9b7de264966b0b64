#include "collector/platform/api_client.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <spdlog/spdlog.h>

#include "collector/platform/json_fields.hpp"
#include "common/time/sleep.hpp"

namespace streamscope::collector {
namespace beast = boost::beast;
using steady = std::chrono::steady_clock;

api_client::api_client(std::string name, http::client& api, oauth_token_source& tokens, pacer& pace,
                       time::backoff_policy retry,
                       std::vector<std::pair<std::string, std::string>> headers,
                       int max_throttled_per_call)
    : name_(std::move(name)), api_(api), tokens_(tokens), pace_(pace), retry_(retry),
      headers_(std::move(headers)), max_throttled_per_call_(max_throttled_per_call) {}

std::string api_client::target(std::string_view path, const query& params) const {
    std::string out = api_.where().base_path;
    out += path;
    char sep = '?';
    for (const auto& [name, value] : params) {
        out += sep;
        out += boost::urls::encode(name, boost::urls::unreserved_chars);
        out += '=';
        out += boost::urls::encode(value, boost::urls::unreserved_chars);
        sep = '&';
    }
    return out;
}

boost::asio::awaitable<api_reply> api_client::get(std::string_view path, const query& params,
                                                  bool may_be_forbidden) {
    const std::string where = target(path, params);
    api_reply reply;
    int failures = 0;
    int throttled = 0;
    bool renewed = false;
    const bool& stopping = stopping_ != nullptr ? *stopping_ : never;
    for (;;) {
        co_await time::sleep_for(pace_.delay(steady::now()), stopping);
        if (stopping) {
            reply.result = api_reply::outcome::unavailable;
            reply.problem = "not sent: the collector is stopping";
            co_return reply;
        }
        const std::string token = co_await tokens_.token();

        http::request req{beast::http::verb::get, where, 11};
        req.set(beast::http::field::authorization, "Bearer " + token);
        for (const auto& [header, value] : headers_) {
            req.set(header, value);
        }
        pace_.spend(steady::now());
        ++counters_.requests;

        std::string failure; // empty: the response is final
        try {
            http::response res = co_await api_.send(std::move(req));
            reply.status = res.result_int();
            ++counters_.by_status[reply.status];
            if (reply.status == 429) {
                ++counters_.throttled;
                pace_.throttled(res, steady::now(), std::chrono::system_clock::now());
                if (const auto remaining = pace_.reported_remaining()) {
                    counters_.rate_limit_remaining = remaining;
                }
                if (++throttled > max_throttled_per_call_) {
                    reply.result = api_reply::outcome::unavailable;
                    reply.problem = "still rate limited (HTTP 429) after " +
                                    std::to_string(throttled) + " tries";
                    co_return reply;
                }
                spdlog::warn("{} {}: rate limited (HTTP 429); waiting {} ms", name_, path,
                             std::chrono::duration_cast<std::chrono::milliseconds>(
                                 pace_.delay(steady::now()))
                                 .count());
                ++counters_.retries;
                continue;
            }
            pace_.answered(res, steady::now());
            if (const auto remaining = pace_.reported_remaining()) {
                counters_.rate_limit_remaining = remaining;
            }
            if (reply.status == 401) {
                if (renewed && may_be_forbidden) {
                    reply.result = api_reply::outcome::refused;
                    reply.problem = describe_error(res.result_int(), res.body());
                    co_return reply;
                }
                if (renewed) {
                    const auto& endpoint = tokens_.endpoint();
                    throw credentials_rejected(name_ + " rejects a freshly issued app token (" +
                                               describe_error(res.result_int(), res.body()) +
                                               "): check that " + endpoint.id_setting +
                                               " matches " + endpoint.secret_setting);
                }
                spdlog::warn("{} {}: {}; getting a new app token", name_, path,
                             describe_error(res.result_int(), res.body()));
                renewed = true;
                ++counters_.retries;
                co_await tokens_.renew(token);
                continue;
            }
            if (reply.status >= 500) {
                failure = describe_error(res.result_int(), res.body());
            } else if (reply.status >= 400) {
                reply.result = api_reply::outcome::refused;
                reply.problem = describe_error(res.result_int(), res.body());
                co_return reply;
            } else {
                // One arena per answer: a page of a thousand records is thousands of small
                // nodes, all freed together when the page has been read.
                boost::system::error_code ec;
                reply.body = boost::json::parse(
                    res.body(), ec,
                    boost::json::make_shared_resource<boost::json::monotonic_resource>());
                if (!ec && reply.body.is_object()) {
                    reply.result = api_reply::outcome::ok;
                    co_return reply;
                }
                failure = "the response body is not a JSON object (" +
                          (ec ? ec.message() : std::string("wrong type")) + ")";
            }
        } catch (const boost::system::system_error& e) {
            reply.status = 0;
            ++counters_.by_status[0];
            failure = e.code().message();
        }
        if (stopping) {
            reply.result = api_reply::outcome::unavailable;
            reply.problem = failure + " (the collector is stopping)";
            co_return reply;
        }

        if (failures >= retry_.max_retries) {
            reply.result = api_reply::outcome::unavailable;
            reply.problem = failure + " (after " + std::to_string(failures) + " retries)";
            co_return reply;
        }
        const auto wait = retry_.delay(failures++, random_);
        ++counters_.retries;
        spdlog::warn("{} {}: {}; retry {} of {} in {} ms", name_, path, failure, failures,
                     retry_.max_retries, wait.count());
        co_await time::sleep_for(wait, stopping);
    }
}

} // namespace streamscope::collector

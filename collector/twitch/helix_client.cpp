#include "collector/twitch/helix_client.hpp"

#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <spdlog/spdlog.h>

#include "collector/twitch/models.hpp"
#include "common/time/sleep.hpp"

namespace streamscope::twitch {
namespace beast = boost::beast;
using steady = std::chrono::steady_clock;

namespace {

std::optional<std::int64_t> header_number(const http::response& res, std::string_view name) {
    auto it = res.find(name);
    if (it == res.end()) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const auto text = it->value();
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

rate_headers read_rate_headers(const http::response& res) {
    return {header_number(res, "Ratelimit-Limit"), header_number(res, "Ratelimit-Remaining"),
            header_number(res, "Ratelimit-Reset")};
}

} // namespace

helix_client::helix_client(http::client& api, token_source& tokens, time::backoff_policy retry,
                           int max_throttled_per_call)
    : api_(api), tokens_(tokens), retry_(retry), max_throttled_per_call_(max_throttled_per_call) {}

std::string helix_client::target(std::string_view path, const query& params) const {
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

boost::asio::awaitable<helix_reply> helix_client::get(std::string_view path, const query& params,
                                                      bool may_be_forbidden) {
    const std::string where = target(path, params);
    helix_reply reply;
    int failures = 0;
    int throttled = 0;
    bool renewed = false;
    const bool& stopping = stopping_ != nullptr ? *stopping_ : never;
    for (;;) {
        co_await time::sleep_for(budget_.delay(steady::now()), stopping);
        if (stopping) {
            reply.result = helix_reply::outcome::unavailable;
            reply.problem = "not sent: the collector is stopping";
            co_return reply;
        }
        const std::string token = co_await tokens_.token();

        http::request req{beast::http::verb::get, where, 11};
        req.set(beast::http::field::authorization, "Bearer " + token);
        req.set("Client-Id", tokens_.client_id());
        budget_.spend(steady::now());
        ++counters_.requests;

        std::string failure; // empty: the response is final
        try {
            http::response res = co_await api_.send(std::move(req));
            reply.status = res.result_int();
            ++counters_.by_status[reply.status];
            const rate_headers rate = read_rate_headers(res);
            if (rate.remaining) {
                counters_.rate_limit_remaining = rate.remaining;
            }
            if (reply.status == 429) {
                ++counters_.throttled;
                budget_.exhausted(rate, steady::now(), std::chrono::system_clock::now());
                if (++throttled > max_throttled_per_call_) {
                    reply.result = helix_reply::outcome::unavailable;
                    reply.problem = "still rate limited (HTTP 429) after " +
                                    std::to_string(throttled) + " tries";
                    co_return reply;
                }
                spdlog::warn("Helix {}: rate limited (HTTP 429); waiting {} ms for the reset", path,
                             std::chrono::duration_cast<std::chrono::milliseconds>(
                                 budget_.delay(steady::now()))
                                 .count());
                ++counters_.retries;
                continue;
            }
            budget_.observe(rate, steady::now());
            if (reply.status == 401) {
                if (renewed && may_be_forbidden) {
                    reply.result = helix_reply::outcome::refused;
                    reply.problem = describe_error(res.result_int(), res.body());
                    co_return reply;
                }
                if (renewed) {
                    throw credentials_rejected(
                        "Helix rejects a freshly issued app token (" +
                        describe_error(res.result_int(), res.body()) +
                        "): check that TWITCH_CLIENT_ID matches TWITCH_CLIENT_SECRET");
                }
                spdlog::warn("Helix {}: {}; getting a new app token", path,
                             describe_error(res.result_int(), res.body()));
                renewed = true;
                ++counters_.retries;
                co_await tokens_.renew(token);
                continue;
            }
            if (reply.status >= 500) {
                failure = describe_error(res.result_int(), res.body());
            } else if (reply.status >= 400) {
                reply.result = helix_reply::outcome::refused;
                reply.problem = describe_error(res.result_int(), res.body());
                co_return reply;
            } else {
                boost::system::error_code ec;
                reply.body = boost::json::parse(res.body(), ec);
                if (!ec && reply.body.is_object()) {
                    reply.result = helix_reply::outcome::ok;
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
            reply.result = helix_reply::outcome::unavailable;
            reply.problem = failure + " (the collector is stopping)";
            co_return reply;
        }

        if (failures >= retry_.max_retries) {
            reply.result = helix_reply::outcome::unavailable;
            reply.problem = failure + " (after " + std::to_string(failures) + " retries)";
            co_return reply;
        }
        const auto wait = retry_.delay(failures++, random_);
        ++counters_.retries;
        spdlog::warn("Helix {}: {}; retry {} of {} in {} ms", path, failure, failures,
                     retry_.max_retries, wait.count());
        co_await time::sleep_for(wait, stopping);
    }
}

} // namespace streamscope::twitch

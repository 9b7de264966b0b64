#include "collector/youtube/data_api.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <spdlog/spdlog.h>

#include "collector/platform/oauth_token_source.hpp"
#include "collector/youtube/errors.hpp"
#include "common/time/sleep.hpp"

namespace streamscope::youtube {
namespace {

namespace beast = boost::beast;

void append_parameter(std::string& out, char& separator, std::string_view name,
                      std::string_view value) {
    out += separator;
    out += boost::urls::encode(name, boost::urls::unreserved_chars);
    out += '=';
    out += boost::urls::encode(value, boost::urls::unreserved_chars);
    separator = '&';
}

// Short-term limits: a pause of this much, doubling, a few times, before the call is given up.
constexpr std::chrono::seconds rate_limited_pause{2};
constexpr int max_rate_limited = 4;

} // namespace

data_api::data_api(http::client& api, const config::secret& key, quota_gate pay,
                   time::backoff_policy retry)
    : api_(api), key_(key), pay_(std::move(pay)), retry_(retry) {}

boost::asio::awaitable<data_reply> data_api::get(std::string_view path, std::string_view method,
                                                 const collector::query& params) {
    std::string target = api_.where().base_path;
    target += path;
    char separator = '?';
    for (const auto& [name, value] : params) {
        append_parameter(target, separator, name, value);
    }
    append_parameter(target, separator, "key", key_.reveal());

    data_reply reply;
    int failures = 0;
    int rate_limited = 0;
    const bool& stopping = stopping_ != nullptr ? *stopping_ : never;
    for (;;) {
        if (stopping) {
            reply.result = data_reply::outcome::unavailable;
            reply.problem = "not sent: the collector is stopping";
            co_return reply;
        }
        if (!co_await pay_(method)) {
            reply.result = data_reply::outcome::quota_spent;
            reply.problem = "the day's quota in the ledger is spent";
            co_return reply;
        }
        ++counters_.requests;
        http::request req{beast::http::verb::get, target, 11};
        req.set(beast::http::field::accept, "application/json");
        std::string failure; // empty: the answer is final
        try {
            http::response res = co_await api_.send(std::move(req));
            reply.status = res.result_int();
            ++counters_.by_status[reply.status];
            if (reply.status >= 200 && reply.status < 300) {
                boost::system::error_code ec;
                reply.body = boost::json::parse(
                    res.body(), ec,
                    boost::json::make_shared_resource<boost::json::monotonic_resource>());
                if (!ec && reply.body.is_object()) {
                    reply.result = data_reply::outcome::ok;
                    co_return reply;
                }
                failure = "the answer is not a JSON object (" +
                          (ec ? ec.message() : std::string("wrong type")) + ")";
            } else {
                const google_error_info error = classify_error(reply.status, res.body());
                const std::string said = "HTTP " + std::to_string(reply.status) +
                                         (error.reason.empty() ? "" : " " + error.reason) +
                                         (error.message.empty() ? "" : ": " + error.message);
                switch (error.kind) {
                case google_error::key_invalid:
                    throw collector::credentials_rejected(
                        "YouTube refuses YOUTUBE_API_KEY (" + said +
                        "): check the key, that the YouTube Data API v3 is enabled for its "
                        "project, and the key's restrictions");
                case google_error::quota_exceeded:
                    reply.result = data_reply::outcome::quota_exceeded;
                    reply.problem = said;
                    co_return reply;
                case google_error::rate_limited:
                    ++counters_.throttled;
                    if (++rate_limited > max_rate_limited) {
                        reply.result = data_reply::outcome::unavailable;
                        reply.problem =
                            said + " (still after " + std::to_string(rate_limited) + " pauses)";
                        co_return reply;
                    }
                    spdlog::warn("YouTube {}: {}; pausing", path, said);
                    ++counters_.retries;
                    co_await time::sleep_for(rate_limited_pause * (1 << (rate_limited - 1)),
                                             stopping);
                    continue;
                case google_error::server_error:
                    failure = said;
                    break;
                case google_error::not_found:
                case google_error::bad_request:
                case google_error::other:
                    reply.result = data_reply::outcome::refused;
                    reply.problem = said;
                    co_return reply;
                }
            }
        } catch (const boost::system::system_error& e) {
            reply.status = 0;
            ++counters_.by_status[0];
            failure = e.code().message();
        }
        if (stopping || failures >= retry_.max_retries) {
            reply.result = data_reply::outcome::unavailable;
            reply.problem =
                failure + (stopping ? " (the collector is stopping)"
                                    : " (after " + std::to_string(failures) + " retries)");
            co_return reply;
        }
        const auto wait = retry_.delay(failures++, random_);
        ++counters_.retries;
        spdlog::warn("YouTube {}: {}; retry {} of {} in {} ms", path, failure, failures,
                     retry_.max_retries, wait.count());
        co_await time::sleep_for(wait, stopping);
    }
}

} // namespace streamscope::youtube

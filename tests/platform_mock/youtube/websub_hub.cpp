#include "tests/platform_mock/youtube/websub_hub.hpp"

#include <array>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tests/platform_mock/exchange.hpp"
#include "tests/platform_mock/youtube/feed.hpp"

namespace streamscope::platform_mock::youtube {
namespace {

constexpr std::string_view hub_topic_prefix =
    "https://www.youtube.com/xml/feeds/videos.xml?channel_id=";

std::string hub_signature(std::string_view body, const std::string& secret) {
    std::array<unsigned char, 20> digest{};
    unsigned int length = 0;
    HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest.data(), &length);
    std::string out = "sha1=";
    for (const unsigned char b : digest) {
        out += fmt::format("{:02x}", b);
    }
    return out;
}

std::string notification(std::string_view channel_id, std::string_view video_id,
                         std::string_view title) {
    return fmt::format("<?xml version='1.0' encoding='UTF-8'?>\n"
                       "<feed xmlns:yt=\"http://www.youtube.com/xml/schemas/2015\" "
                       "xmlns=\"http://www.w3.org/2005/Atom\">\n"
                       "<link rel=\"hub\" href=\"https://pubsubhubbub.appspot.com\"/>\n"
                       "<title>YouTube video feed</title>\n"
                       "<entry>\n<id>yt:video:{1}</id>\n<yt:videoId>{1}</yt:videoId>\n"
                       "<yt:channelId>{0}</yt:channelId>\n<title>{2}</title>\n"
                       "<published>2024-01-01T00:00:00+00:00</published>\n"
                       "<updated>2024-01-01T00:00:00+00:00</updated>\n</entry>\n</feed>\n",
                       channel_id, video_id, xml_escape(title));
}

} // namespace

unsigned websub_hub::subscribe(std::string_view form, std::string& problem) {
    const auto fields = query::parse(form);
    if (!fields) {
        problem = "the body is not a form";
        return 400;
    }
    const std::string callback(fields->first("hub.callback").value_or(""));
    const std::string mode(fields->first("hub.mode").value_or(""));
    const std::string topic(fields->first("hub.topic").value_or(""));
    const auto url = boost::urls::parse_absolute_uri(callback);
    if (!url || url->scheme() != "http" || url->host().empty()) {
        problem = "hub.callback must be an http:// URL (this mock calls plain HTTP only)";
        return 400;
    }
    if (mode != "subscribe" && mode != "unsubscribe") {
        problem = "hub.mode must be subscribe or unsubscribe";
        return 400;
    }
    if (!topic.starts_with(hub_topic_prefix)) {
        problem = "hub.topic is not a YouTube channel's feed";
        return 400;
    }
    const std::string key = callback + " " + topic;
    if (mode == "subscribe" && !subscriptions_.contains(key) &&
        subscriptions_.size() >= max_subscriptions) {
        problem = "too many subscriptions";
        return 400;
    }
    const std::string challenge = fmt::format("{:016x}{:016x}", rng_.next(), rng_.next());
    const std::int64_t lease = rng_.between(3'600, 864'000);
    outgoing_call call;
    call.id = next_id_++;
    call.method = "GET";
    call.host = url->host();
    call.port = url->has_port() ? std::string(url->port()) : std::string("80");
    std::string target(url->encoded_path());
    target += "?hub.mode=" + mode +
              "&hub.topic=" + boost::urls::encode(topic, boost::urls::unreserved_chars) +
              "&hub.challenge=" + challenge;
    if (mode == "subscribe") {
        target += "&hub.lease_seconds=" + std::to_string(lease);
    }
    call.target = std::move(target);
    if (!queue(std::move(call))) {
        problem = "the hub is busy";
        return 503;
    }
    if (mode == "subscribe") {
        subscription& s = subscriptions_[key];
        s.callback = callback;
        s.topic = topic;
        s.secret = std::string(fields->first("hub.secret").value_or(""));
        s.lease = lease;
    }
    pending_[next_id_ - 1] = pending{key, challenge, mode == "subscribe"};
    return 202;
}

bool websub_hub::queue(outgoing_call call) {
    if (outgoing_.size() >= max_outgoing) {
        return false;
    }
    outgoing_.push_back(std::move(call));
    return true;
}

std::size_t websub_hub::notify(std::string_view channel_id, std::string_view video_id,
                               std::string_view title) {
    const std::string topic = std::string(hub_topic_prefix) + std::string(channel_id);
    const std::string body = notification(channel_id, video_id, title);
    std::size_t queued = 0;
    for (auto& [key, s] : subscriptions_) {
        if (s.topic != topic || !s.verified) {
            continue;
        }
        const auto url = boost::urls::parse_absolute_uri(s.callback);
        outgoing_call call;
        call.id = next_id_++;
        call.method = "POST";
        call.host = url->host();
        call.port = url->has_port() ? std::string(url->port()) : std::string("80");
        call.target = std::string(url->encoded_path());
        call.body = body;
        call.headers.emplace_back("Content-Type", "application/atom+xml");
        if (!s.secret.empty()) {
            call.headers.emplace_back("X-Hub-Signature", hub_signature(body, s.secret));
        }
        if (queue(std::move(call))) {
            ++s.notified;
            ++queued;
        }
    }
    return queued;
}

std::vector<outgoing_call> websub_hub::take_outgoing() {
    std::vector<outgoing_call> out(std::make_move_iterator(outgoing_.begin()),
                                   std::make_move_iterator(outgoing_.end()));
    outgoing_.clear();
    return out;
}

void websub_hub::answered(std::uint64_t id, unsigned status, std::string_view body) {
    const auto it = pending_.find(id);
    if (it == pending_.end()) {
        return; // a notification: nothing waits for it
    }
    const pending p = it->second;
    pending_.erase(it);
    const auto s = subscriptions_.find(p.key);
    if (s == subscriptions_.end()) {
        return;
    }
    const bool confirmed = status == 200 && body == p.challenge;
    if (p.subscribe) {
        s->second.verified = s->second.verified || confirmed;
        if (!s->second.verified) {
            subscriptions_.erase(s);
        }
    } else if (confirmed) {
        subscriptions_.erase(s);
    }
}

boost::json::value websub_hub::list() const {
    boost::json::array out;
    for (const auto& [key, s] : subscriptions_) {
        out.push_back(boost::json::object{{"topic", s.topic},
                                          {"callback", s.callback},
                                          {"lease_seconds", s.lease},
                                          {"verified", s.verified},
                                          {"signed", !s.secret.empty()},
                                          {"notifications", s.notified}});
    }
    return out;
}

} // namespace streamscope::platform_mock::youtube

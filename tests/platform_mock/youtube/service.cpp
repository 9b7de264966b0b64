#include "tests/platform_mock/youtube/service.hpp"

#include <charconv>

#include <boost/json/parse.hpp>

#include "tests/platform_mock/route_table.hpp"
#include "tests/platform_mock/youtube/data_api.hpp"
#include "tests/platform_mock/youtube/errors.hpp"
#include "tests/platform_mock/youtube/feed.hpp"

namespace streamscope::platform_mock::youtube {
namespace {

enum class area {
    api,   // www.googleapis.com/youtube/v3: key, quota, faults
    feed,  // www.youtube.com/feeds: politeness limit, per-channel failures, faults
    admin, // /_mock/youtube: none of that, never counted by fault rules
};

constexpr std::string_view feed_path = "/feeds/videos.xml";

reply admin_error(unsigned status, std::string_view message) {
    return json_reply(status, boost::json::object{{"message", message}});
}

struct pinned_name {
    pinned_state state;
    std::string_view name;
};

constexpr pinned_name pinned_names[] = {
    {pinned_state::automatic, "auto"},
    {pinned_state::live, "live"},
    {pinned_state::upcoming, "upcoming"},
    {pinned_state::ended, "ended"},
};

std::string_view pinned_state_name(pinned_state s) {
    for (const auto& p : pinned_names) {
        if (p.state == s) {
            return p.name;
        }
    }
    return "?";
}

std::optional<std::uint64_t> read_uint(const boost::json::value& v) {
    if (v.is_uint64()) {
        return v.get_uint64();
    }
    if (v.is_int64() && v.get_int64() >= 0) {
        return static_cast<std::uint64_t>(v.get_int64());
    }
    return std::nullopt;
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
    std::string_view api_method; // the quota ledger's name, e.g. "videos.list"
    quota_bucket bucket;
    reply (service::*handler)(const call&);
};

// The whole of YouTube. Exact paths only.
const service::route service::routes[] = {
    {"GET", "/youtube/v3/videos", area::api, "videos.list", quota_bucket::shared, &service::videos},
    {"GET", "/youtube/v3/channels", area::api, "channels.list", quota_bucket::shared,
     &service::channels},
    {"GET", "/youtube/v3/playlistItems", area::api, "playlistItems.list", quota_bucket::shared,
     &service::playlist_items},
    {"GET", "/youtube/v3/search", area::api, "search.list", quota_bucket::search, &service::search},
    {"GET", feed_path, area::feed, "", quota_bucket::shared, &service::feed},
    {"GET", "/_mock/youtube/world", area::admin, "", quota_bucket::shared, &service::admin_world},
    {"POST", "/_mock/youtube/channel", area::admin, "", quota_bucket::shared,
     &service::admin_channel},
    {"POST", "/_mock/youtube/clock/advance", area::admin, "", quota_bucket::shared,
     &service::admin_advance_clock},
    {"GET", "/_mock/youtube/quota", area::admin, "", quota_bucket::shared, &service::admin_quota},
    {"POST", "/_mock/youtube/quota", area::admin, "", quota_bucket::shared,
     &service::admin_set_quota},
    {"DELETE", "/_mock/youtube/quota", area::admin, "", quota_bucket::shared,
     &service::admin_reset_quota},
    {"GET", "/_mock/youtube/stats", area::admin, "", quota_bucket::shared, &service::admin_stats},
    {"DELETE", "/_mock/youtube/stats", area::admin, "", quota_bucket::shared,
     &service::admin_reset_stats},
    {"POST", "/_mock/youtube/faults", area::admin, "", quota_bucket::shared,
     &service::admin_add_faults},
    {"GET", "/_mock/youtube/faults", area::admin, "", quota_bucket::shared,
     &service::admin_list_faults},
    {"DELETE", "/_mock/youtube/faults", area::admin, "", quota_bucket::shared,
     &service::admin_clear_faults},
    {"POST", "/youtube/websub/subscribe", area::admin, "", quota_bucket::shared,
     &service::websub_subscribe},
    {"GET", "/_mock/youtube/websub", area::admin, "", quota_bucket::shared, &service::admin_websub},
    {"POST", "/_mock/youtube/websub/push", area::admin, "", quota_bucket::shared,
     &service::admin_websub_push},
};

service::service(service_config config)
    : config_(std::move(config)),
      start_(config_.fixed_start.value_or(
          std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()))),
      started_(std::chrono::steady_clock::now()), world_(config_.world, start_),
      ledger_(config_.quota), feed_limit_(config_.feed_requests_per_second),
      hub_(config_.world.seed) {
    faults_.add(std::move(config_.faults));
}

bool service::owns(std::string_view path) {
    return path.starts_with("/youtube/") || path.starts_with("/feeds/") ||
           path.starts_with("/_mock/youtube/") || path == "/_mock/youtube";
}

time::timestamp service::now() const {
    const std::chrono::duration<double, std::micro> real =
        std::chrono::steady_clock::now() - started_;
    const auto simulated =
        std::chrono::microseconds(static_cast<std::int64_t>(real.count() * config_.time_scale));
    return start_ + advanced_ + simulated;
}

reply service::handle(const request& req,
                      const boost::system::result<boost::urls::url_view>& target) {
    const std::string path = target->path();
    const auto q = query::parse(target->encoded_query());
    const auto [match, allow] = find_route<route>(routes, req.method, path);
    traffic_.count_request(path, !allow.empty());

    reply out;
    if (!q) {
        out =
            error_reply({400, "Request contains an invalid argument.", "global", "badRequest", ""});
    } else if (match == nullptr && allow.empty()) {
        out = html_error(404); // Google's front ends answer unknown paths with a page
    } else if (match == nullptr) {
        out = html_error(405);
        out.headers.emplace_back("Allow", allow);
    } else if (match->where == area::admin) {
        const fault_effects none;
        out = (this->*match->handler)({req, *q, none});
    } else {
        world_.advance_to(now());
        if (match->where == area::feed) {
            const std::string channel_id(q->first("channel_id").value_or(""));
            const auto it = feed_requests_.find(channel_id);
            if (it == feed_requests_.end()) {
                // Only channels of the world get a counter: a scanner cannot grow the map.
                if (world_.find_channel(channel_id) != nullptr) {
                    feed_requests_.emplace(channel_id, 1);
                }
            } else {
                ++it->second;
            }
        }
        std::string fault_path = path;
        if (!target->encoded_query().empty()) {
            fault_path.append("?").append(target->encoded_query());
        }
        const fault_effects effects = faults_.match({fault_path, false, false, false});
        out = guarded(*match, {req, *q, effects});
    }
    traffic_.count_response(out.status);
    return out;
}

// A reset comes first; then what the platform itself checks (the key and the quota, or the
// feeds' politeness limit and a broken feed); 5xx and invalid bodies replace the answer of a
// request that passed those (and was charged); truncation and delays modify any answer.
reply service::guarded(const route& r, const call& c) {
    const fault_effects& effects = c.effects;
    reply out;
    if (effects.reset) {
        out.status = 0; // nothing is sent; the stats count it apart from real answers
        out.how = delivery::reset;
        return out;
    }
    out = r.where == area::api ? api_call(r, c) : feed_call(c);
    if (effects.truncate) {
        out.how = delivery::truncate;
    }
    out.delay = effects.delay;
    return out;
}

reply service::api_call(const route& r, const call& c) {
    const auto key = c.q.first("key");
    if (!key || std::find(config_.api_keys.begin(), config_.api_keys.end(), *key) ==
                    config_.api_keys.end()) {
        ++invalid_keys_; // no project to charge
        return key_invalid();
    }
    if (!ledger_.charge(*key, r.api_method, r.bucket, 1, world_.now())) {
        ++quota_refused_;
        return quota_exceeded();
    }
    if (c.effects.server_error) {
        return api_server_error(*c.effects.server_error);
    }
    if (c.effects.invalid_json) {
        reply broken;
        broken.content_type = json_content_type;
        broken.body = "{\n  \"kind\": \"youtube#videoListResponse\",\n  \"items\": [\n<html>";
        return broken;
    }
    return (this->*r.handler)(c);
}

reply service::feed_call(const call& c) {
    const std::string client =
        c.req.remote_address.empty() ? std::string("unknown") : std::string(c.req.remote_address);
    if (!feed_limit_.take(client, std::chrono::steady_clock::now())) {
        ++feeds_limited_;
        return html_error(429);
    }
    if (const channel* ch = world_.find_channel(c.q.first("channel_id").value_or(""));
        ch != nullptr && ch->feed_status != 0) {
        return html_error(ch->feed_status);
    }
    if (c.effects.server_error) {
        return html_error(*c.effects.server_error);
    }
    if (c.effects.invalid_json) { // for a feed: a document cut off mid-element
        reply broken;
        broken.content_type = feed_content_type;
        broken.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://"
                      "www.w3.org/2005/Atom\">\n <entry>\n  <title>cut";
        return broken;
    }
    return feed(c);
}

reply service::videos(const call& c) {
    return list_videos(world_, c.q, world_.now());
}

reply service::channels(const call& c) {
    return list_channels(world_, c.q);
}

reply service::playlist_items(const call& c) {
    return list_playlist_items(world_, c.q);
}

reply service::search(const call& c) {
    return list_search(world_, c.q, world_.now());
}

reply service::feed(const call& c) {
    const auto id = c.q.first("channel_id");
    const channel* ch = id ? world_.find_channel(*id) : nullptr;
    if (ch == nullptr || ch->terminated) {
        return html_error(404);
    }
    reply r;
    r.content_type = feed_content_type;
    r.body = channel_feed(world_, *ch);
    return r;
}

reply service::admin_world(const call&) {
    world_.advance_to(now());
    const auto t = world_.now();
    boost::json::array channels;
    boost::json::array live;
    boost::json::array upcoming;
    boost::json::array removed;
    std::uint64_t terminated = 0;
    for (const channel& ch : world_.channels()) {
        terminated += ch.terminated ? 1 : 0;
        const video* current =
            ch.current == channel::no_broadcast ? nullptr : &world_.video_at(ch.current);
        const std::string_view state =
            current == nullptr ? "idle" : broadcast_state_name(current->state);
        channels.push_back(boost::json::object{
            {"id", ch.id},
            {"handle", ch.handle},
            {"title", ch.title},
            {"terminated", ch.terminated},
            {"state", state},
            {"pinned", pinned_state_name(ch.pinned)},
            {"current_video_id",
             current == nullptr ? boost::json::value(nullptr) : boost::json::value(current->id)},
            {"viewers_hidden", ch.viewers_hidden},
            {"feed_status", ch.feed_status},
            {"uploads", ch.uploads.size()},
        });
        if (current != nullptr && !ch.terminated) {
            boost::json::object o{
                {"video_id", current->id},
                {"channel_id", ch.id},
                {"scheduled_start_time", api_time(current->scheduled_start)},
            };
            if (current->state == broadcast_state::live) {
                o["actual_start_time"] = api_time(current->actual_start);
                const auto viewers = world_.concurrent_viewers(*current, t);
                o["concurrent_viewers"] =
                    viewers ? boost::json::value(*viewers) : boost::json::value(nullptr);
                live.push_back(std::move(o));
            } else {
                upcoming.push_back(std::move(o));
            }
        }
    }
    // Every broadcast that went live, past ones too: what a collector should have stored.
    boost::json::array broadcasts;
    for (const video& v : world_.videos()) {
        if (v.removed) {
            removed.push_back(boost::json::value(v.id));
        } else if (v.state == broadcast_state::live || v.state == broadcast_state::ended) {
            broadcasts.push_back(boost::json::object{
                {"video_id", v.id},
                {"channel_id", world_.channel_at(v.channel).id},
                {"actual_start_time", api_time(v.actual_start)},
                {"actual_end_time", v.state == broadcast_state::ended
                                        ? boost::json::value(api_time(v.actual_end))
                                        : boost::json::value(nullptr)},
            });
        }
    }
    const auto counts = boost::json::object{
        {"channels", world_.channels().size()}, {"terminated", terminated},
        {"videos", world_.videos().size()},     {"live", live.size()},
        {"upcoming", upcoming.size()},          {"removed", removed.size()},
    };
    return json_reply(200, boost::json::object{
                               {"now", time::format_rfc3339(t)},
                               {"time_scale", config_.time_scale},
                               {"counts", counts},
                               {"channels", std::move(channels)},
                               {"live", std::move(live)},
                               {"upcoming", std::move(upcoming)},
                               {"removed_video_ids", std::move(removed)},
                               {"broadcasts", std::move(broadcasts)},
                           });
}

reply service::admin_channel(const call& c) {
    boost::system::error_code ec;
    const auto body = boost::json::parse(c.req.body, ec);
    const auto* object = ec ? nullptr : body.if_object();
    if (object == nullptr) {
        return admin_error(400, "the body must be a JSON object");
    }
    const auto* id = object->if_contains("channel_id");
    const channel* found =
        id != nullptr && id->is_string() ? world_.find_channel(id->get_string()) : nullptr;
    if (found == nullptr) {
        return admin_error(404, "no such channel_id");
    }
    const std::uint32_t index = world_.channel_index(*found);
    channel& ch = world_.channel_at(index);
    std::optional<pinned_state> state;
    std::optional<bool> hidden;
    std::optional<unsigned> feed_status;
    for (const auto& [key, value] : *object) {
        if (key == "channel_id") {
            continue;
        }
        if (key == "state") {
            for (const auto& p : pinned_names) {
                if (value.is_string() && value.get_string() == p.name) {
                    state = p.state;
                }
            }
            if (!state) {
                return admin_error(400, "\"state\" must be live, upcoming, ended or auto");
            }
        } else if (key == "viewers_hidden") {
            if (!value.is_bool()) {
                return admin_error(400, "\"viewers_hidden\" must be true or false");
            }
            hidden = value.get_bool();
        } else if (key == "feed_status") {
            const auto n = read_uint(value);
            if (!n || (*n != 0 && (*n < 400 || *n > 599))) {
                return admin_error(400, "\"feed_status\" must be 0 (serve it) or 400 to 599");
            }
            feed_status = static_cast<unsigned>(*n);
        } else {
            return admin_error(400, "unknown field (known: channel_id, state, viewers_hidden, "
                                    "feed_status)");
        }
    }
    if (state && ch.terminated) {
        return admin_error(409, "the channel is terminated");
    }
    world_.advance_to(now());
    if (state) {
        world_.set_state(index, *state);
        if (*state == pinned_state::live || *state == pinned_state::upcoming) {
            notify_hub(ch); // a new broadcast: YouTube's hub tells its subscribers
        }
    }
    if (hidden) {
        ch.viewers_hidden = *hidden;
    }
    if (feed_status) {
        ch.feed_status = *feed_status;
    }
    const video* current =
        ch.current == channel::no_broadcast ? nullptr : &world_.video_at(ch.current);
    return json_reply(
        200, boost::json::object{
                 {"channel_id", ch.id},
                 {"state", current == nullptr ? std::string_view("idle")
                                              : broadcast_state_name(current->state)},
                 {"pinned", pinned_state_name(ch.pinned)},
                 {"current_video_id", current == nullptr ? boost::json::value(nullptr)
                                                         : boost::json::value(current->id)},
                 {"viewers_hidden", ch.viewers_hidden},
                 {"feed_status", ch.feed_status},
             });
}

reply service::admin_advance_clock(const call& c) {
    std::uint64_t seconds = 0;
    const auto text = c.q.first("seconds").value_or("");
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() ||
        seconds > 10ULL * 365 * 86400) {
        return admin_error(400, "seconds must be an integer from 0 to 315360000");
    }
    advanced_ += std::chrono::seconds(seconds);
    world_.advance_to(now());
    return json_reply(200, boost::json::object{{"now", time::format_rfc3339(world_.now())}});
}

reply service::admin_quota(const call&) {
    world_.advance_to(now());
    return json_reply(200, ledger_.describe(world_.now()));
}

reply service::admin_set_quota(const call& c) {
    boost::system::error_code ec;
    const auto body = boost::json::parse(c.req.body, ec);
    const auto* object = ec ? nullptr : body.if_object();
    if (object == nullptr) {
        return admin_error(400, "the body must be a JSON object");
    }
    std::string key = config_.api_keys.front();
    if (const auto* k = object->if_contains("key")) {
        if (!k->is_string() || std::find(config_.api_keys.begin(), config_.api_keys.end(),
                                         k->get_string()) == config_.api_keys.end()) {
            return admin_error(400, "\"key\" must be one of the mock's API keys");
        }
        key = k->get_string();
    }
    world_.advance_to(now());
    auto current = ledger_.describe(world_.now());
    const auto* spent = current["keys"].as_object().if_contains(key);
    std::uint64_t units = spent ? spent->at("units").to_number<std::uint64_t>() : 0;
    std::uint64_t search_calls = spent ? spent->at("search_calls").to_number<std::uint64_t>() : 0;
    for (const auto& [name, value] : *object) {
        if (name == "key") {
            continue;
        }
        const auto n = read_uint(value);
        if ((name != "units" && name != "search_calls") || !n) {
            return admin_error(400, "known fields: key, units, search_calls (non-negative "
                                    "integers)");
        }
        (name == "units" ? units : search_calls) = *n;
    }
    ledger_.set_spent(key, units, search_calls, world_.now());
    return json_reply(200, ledger_.describe(world_.now()));
}

reply service::admin_reset_quota(const call&) {
    ledger_.reset();
    return json_reply(200, ledger_.describe(world_.now()));
}

reply service::admin_stats(const call&) {
    boost::json::object feeds;
    for (const auto& [id, n] : feed_requests_) {
        feeds[id] = n;
    }
    return json_reply(200, boost::json::object{
                               {"requests", traffic_.requests()},
                               {"responses", traffic_.responses()},
                               {"feed_requests", std::move(feeds)},
                               {"invalid_keys", invalid_keys_},
                               {"quota_refused", quota_refused_},
                               {"feeds_limited", feeds_limited_},
                               {"faults_triggered", faults_.triggered_total()},
                           });
}

reply service::admin_reset_stats(const call& c) {
    traffic_ = traffic_stats{};
    traffic_.count_request("/_mock/youtube/stats", true); // this DELETE, answered below
    feed_requests_.clear();
    invalid_keys_ = 0;
    quota_refused_ = 0;
    feeds_limited_ = 0;
    return admin_stats(c);
}

reply service::admin_add_faults(const call& c) {
    auto added = faults_.add_json(c.req.body, default_fault_path);
    return added ? json_reply(200, *added) : admin_error(400, added.error());
}

reply service::admin_list_faults(const call&) {
    return json_reply(200, faults_.describe());
}

reply service::admin_clear_faults(const call&) {
    return json_reply(200, boost::json::object{{"cleared", faults_.clear()}});
}

std::size_t service::notify_hub(const channel& ch) {
    const std::uint32_t index = ch.current != channel::no_broadcast ? ch.current
                                : ch.uploads.empty()                ? channel::no_broadcast
                                                                    : ch.uploads.back();
    if (index == channel::no_broadcast) {
        return 0;
    }
    const video& v = world_.video_at(index);
    return hub_.notify(ch.id, v.id, v.title);
}

reply service::websub_subscribe(const call& c) {
    std::string problem;
    const unsigned status = hub_.subscribe(c.req.body, problem);
    reply out;
    out.status = status;
    out.content_type = "text/plain; charset=utf-8";
    out.body = status == 202 ? std::string() : problem + "\n";
    return out;
}

reply service::admin_websub(const call&) {
    return json_reply(200, boost::json::object{{"subscriptions", hub_.list()}});
}

reply service::admin_websub_push(const call& c) {
    boost::system::error_code ec;
    const auto body = boost::json::parse(c.req.body, ec);
    const auto* object = ec ? nullptr : body.if_object();
    const auto* id = object == nullptr ? nullptr : object->if_contains("channel_id");
    const channel* found =
        id != nullptr && id->is_string() ? world_.find_channel(id->get_string()) : nullptr;
    if (found == nullptr) {
        return admin_error(404, "no such channel_id");
    }
    world_.advance_to(now());
    return json_reply(200, boost::json::object{{"notified", notify_hub(*found)}});
}

} // namespace streamscope::platform_mock::youtube

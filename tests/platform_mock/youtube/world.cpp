#include "tests/platform_mock/youtube/world.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "tests/platform_mock/nasty_text.hpp"

namespace streamscope::platform_mock::youtube {
namespace {

using namespace std::chrono_literals;
using std::chrono::seconds;

constexpr std::string_view id_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// A channel id is 16 random bytes in URL-safe base64: 21 full characters and a last one that
// carries 2 bits. A video id is 8 bytes: 10 full characters and a last one with 4 bits.
constexpr std::string_view channel_id_last = "AQgw";
constexpr std::string_view video_id_last = "AEIMQUYcgkosw048";

constexpr double terminated_share = 0.02;
constexpr double removed_share = 0.03;       // of the uploads a channel had before the start
constexpr double past_broadcast_share = 0.3; // of those, former live broadcasts
constexpr double owner_hides_share = 0.05;
constexpr std::int64_t max_viewers = 2'000'000;

// Simulated durations: an announced broadcast starts within 5 min to 2 h, lasts 1 h to 5 h.
constexpr seconds min_lead = 5min;
constexpr seconds max_lead = 115min;
constexpr seconds min_duration = 1h;
constexpr seconds max_duration = 5h;
constexpr seconds max_upload_interval = 6 * 24h;

constexpr seconds mean(seconds lo, seconds hi) {
    return (lo + hi) / 2;
}

// The idle time between broadcasts that keeps `fraction` of channels live on average.
seconds mean_gap(double fraction) {
    const double live = static_cast<double>(mean(min_duration, max_duration).count());
    const double lead = static_cast<double>(mean(min_lead, max_lead).count());
    const double gap = live / std::clamp(fraction, 1e-6, 1.0) - live - lead;
    return std::max(seconds(10min), seconds(static_cast<std::int64_t>(gap)));
}

seconds uniform(rng& r, seconds lo, seconds hi) {
    return seconds(r.between(lo.count(), hi.count()));
}

std::string random_id(rng& r, std::size_t full, std::string_view last) {
    std::string id;
    id.reserve(full + 1);
    for (std::size_t i = 0; i < full; ++i) {
        id += id_alphabet[r.below(id_alphabet.size())];
    }
    id += last[r.below(last.size())];
    return id;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// YouTube refuses empty titles and cuts them at 100 characters.
std::string video_title(rng& r) {
    const std::string t = text::title(r);
    const auto cut = text::truncate_code_points(t, 100);
    return cut.empty() ? std::string("live stream") : std::string(cut);
}

} // namespace

std::string_view broadcast_state_name(broadcast_state s) {
    switch (s) {
    case broadcast_state::none:
        return "none";
    case broadcast_state::upcoming:
        return "upcoming";
    case broadcast_state::live:
        return "live";
    case broadcast_state::ended:
        return "ended";
    }
    return "?";
}

world::world(const world_options& options, time::timestamp now)
    : options_(options), rng_(rng::mix(options.seed ^ 0x79747562ULL)), now_(now) {
    const seconds gap = mean_gap(options_.live_fraction);
    const seconds lead = mean(min_lead, max_lead);
    const seconds live = mean(min_duration, max_duration);
    const double cycle = static_cast<double>((gap + lead + live).count());
    const double p_live = static_cast<double>(live.count()) / cycle;
    const double p_upcoming = static_cast<double>(lead.count()) / cycle;

    channels_.resize(options_.channels);
    for (std::uint32_t i = 0; i < options_.channels; ++i) {
        channel& c = channels_[i];
        do {
            c.id = "UC" + random_id(rng_, 21, channel_id_last);
        } while (!channel_by_id_.emplace(c.id, i).second);
        std::string name = text::login(rng_);
        if (rng_.chance(0.1) && name.size() > 4) {
            name.insert(1 + rng_.below(name.size() - 2), 1, rng_.chance(0.5) ? '.' : '-');
        }
        while (!channel_by_handle_.emplace(lower(name), i).second) {
            name += static_cast<char>('0' + rng_.below(10));
        }
        c.handle = "@" + name;
        c.title = std::string(text::truncate_code_points(text::display_name(rng_, name), 100));
        c.published = now - uniform(rng_, 30 * 24h, 15 * 365 * 24h);
        c.terminated = rng_.chance(terminated_share);

        // The present: live, upcoming or idle, in proportion to the time each lasts.
        const double roll = rng_.unit();
        time::timestamp history_before = now;
        if (!c.terminated && roll < p_live) {
            const seconds duration = random_duration();
            const auto started = now - seconds(static_cast<std::int64_t>(
                                           rng_.unit() * static_cast<double>(duration.count())));
            const auto scheduled = started - uniform(rng_, 0s, 5min);
            history_before = scheduled - random_lead();
            c.current = add_video(i, history_before, broadcast_state::live);
            video& v = videos_[c.current];
            v.scheduled_start = scheduled;
            v.actual_start = started;
            c.next_broadcast_event = std::max(started + duration, now + 1s);
        } else if (!c.terminated && roll < p_live + p_upcoming) {
            const seconds total = random_lead();
            const auto remaining = seconds(
                static_cast<std::int64_t>(rng_.unit() * static_cast<double>(total.count())));
            history_before = now - (total - remaining);
            c.current = add_video(i, history_before, broadcast_state::upcoming);
            videos_[c.current].scheduled_start = now + remaining;
            c.next_broadcast_event = now + remaining + uniform(rng_, 0s, 10min);
        } else {
            c.next_broadcast_event = now + uniform(rng_, 1s, 2 * gap);
        }

        // The past, newest first; sorted with the present below.
        const auto count = rng_.between(0, 30);
        time::timestamp t = history_before;
        for (std::int64_t k = 0; k < count; ++k) {
            t -= uniform(rng_, 10min, max_upload_interval);
            if (t <= c.published) {
                break;
            }
            const bool was_live = rng_.chance(past_broadcast_share);
            const std::uint32_t index =
                add_video(i, t, was_live ? broadcast_state::ended : broadcast_state::none);
            video& v = videos_[index];
            if (was_live) {
                v.scheduled_start = t + random_lead();
                v.actual_start = v.scheduled_start + uniform(rng_, 0s, 5min);
                v.actual_end = v.actual_start + random_duration();
                if (v.actual_end >= now) {
                    v.state = broadcast_state::none;
                }
            }
            v.removed = rng_.chance(removed_share);
        }
        std::sort(c.uploads.begin(), c.uploads.end(), [&](std::uint32_t a, std::uint32_t b) {
            return videos_[a].published < videos_[b].published;
        });
        if (!c.terminated) {
            schedule(i, event_kind::broadcast, c.next_broadcast_event);
            schedule(i, event_kind::upload, now + uniform(rng_, 1s, max_upload_interval));
        }
    }
}

std::uint32_t world::add_video(std::uint32_t channel_index, time::timestamp published,
                               broadcast_state state) {
    const auto index = static_cast<std::uint32_t>(videos_.size());
    video v;
    v.id = unique_video_id();
    v.channel = channel_index;
    v.title = video_title(rng_);
    v.published = published;
    v.state = state;
    v.base_viewers = std::min<std::int64_t>(
        max_viewers, static_cast<std::int64_t>(std::exp(rng_.normal() * 1.6 + 3.0)));
    v.owner_hides_viewers = rng_.chance(owner_hides_share);
    v.has_tags = rng_.chance(0.8);
    v.has_language = rng_.chance(0.75);
    video_by_id_.emplace(v.id, index);
    videos_.push_back(std::move(v));
    // Only the constructor adds out of order (and sorts afterwards).
    channels_[channel_index].uploads.push_back(index);
    return index;
}

std::string world::unique_video_id() {
    std::string id;
    do {
        id = random_id(rng_, 10, video_id_last);
    } while (video_by_id_.contains(id));
    return id;
}

seconds world::random_lead() {
    return uniform(rng_, min_lead, max_lead);
}
seconds world::random_duration() {
    return uniform(rng_, min_duration, max_duration);
}
seconds world::random_gap() {
    return uniform(rng_, 1s, 2 * mean_gap(options_.live_fraction));
}
seconds world::random_upload_interval() {
    return uniform(rng_, 10min, max_upload_interval);
}

void world::schedule(std::uint32_t channel_index, event_kind kind, time::timestamp at) {
    channel& c = channels_[channel_index];
    (kind == event_kind::broadcast ? c.next_broadcast_event : c.next_upload) = at;
    events_.push({at, channel_index, kind});
}

void world::announce(std::uint32_t channel_index, time::timestamp t) {
    channel& c = channels_[channel_index];
    c.current = add_video(channel_index, t, broadcast_state::upcoming);
    video& v = videos_[c.current];
    v.scheduled_start = t + random_lead();
}

void world::go_live(std::uint32_t channel_index, time::timestamp t) {
    channel& c = channels_[channel_index];
    if (c.current == channel::no_broadcast) {
        announce(channel_index, t);
        videos_[c.current].scheduled_start = t;
    }
    video& v = videos_[c.current];
    v.state = broadcast_state::live;
    v.actual_start = t;
}

void world::end(std::uint32_t channel_index, time::timestamp t) {
    channel& c = channels_[channel_index];
    if (c.current == channel::no_broadcast) {
        return;
    }
    video& v = videos_[c.current];
    if (v.state == broadcast_state::live) {
        v.state = broadcast_state::ended;
        v.actual_end = t;
    } else {
        v.removed = true; // a cancelled announcement
    }
    c.current = channel::no_broadcast;
}

void world::run_broadcast_event(std::uint32_t channel_index, time::timestamp t) {
    channel& c = channels_[channel_index];
    if (c.current == channel::no_broadcast) {
        announce(channel_index, t);
        const video& v = videos_[c.current];
        // Some start early, most a little late.
        schedule(channel_index, event_kind::broadcast,
                 std::max(t + 1s, v.scheduled_start + uniform(rng_, -2min, 10min)));
    } else if (videos_[c.current].state == broadcast_state::upcoming) {
        go_live(channel_index, t);
        schedule(channel_index, event_kind::broadcast, t + random_duration());
    } else {
        end(channel_index, t);
        schedule(channel_index, event_kind::broadcast, t + random_gap());
    }
}

void world::advance_to(time::timestamp now) {
    if (now <= now_) {
        return;
    }
    while (!events_.empty() && events_.top().at <= now) {
        const event e = events_.top();
        events_.pop();
        channel& c = channels_[e.channel];
        if (e.kind == event_kind::upload) {
            if (e.at == c.next_upload) {
                add_video(e.channel, e.at, broadcast_state::none);
                schedule(e.channel, event_kind::upload, e.at + random_upload_interval());
            }
        } else if (e.at == c.next_broadcast_event && c.pinned == pinned_state::automatic) {
            run_broadcast_event(e.channel, e.at);
        }
    }
    now_ = now;
}

void world::set_state(std::uint32_t channel_index, pinned_state state) {
    channel& c = channels_[channel_index];
    c.pinned = state;
    const video* current = c.current == channel::no_broadcast ? nullptr : &videos_[c.current];
    switch (state) {
    case pinned_state::automatic:
        // Back to the simulation from where it stands.
        schedule(channel_index, event_kind::broadcast,
                 now_ + (current == nullptr                        ? random_gap()
                         : current->state == broadcast_state::live ? random_duration()
                                                                   : random_lead()));
        break;
    case pinned_state::live:
        if (current == nullptr || current->state != broadcast_state::live) {
            go_live(channel_index, now_);
        }
        break;
    case pinned_state::upcoming:
        if (current != nullptr && current->state == broadcast_state::live) {
            end(channel_index, now_);
        }
        if (c.current == channel::no_broadcast) {
            announce(channel_index, now_);
        }
        break;
    case pinned_state::ended:
        end(channel_index, now_);
        break;
    }
}

std::optional<std::int64_t> world::concurrent_viewers(const video& v, time::timestamp t) const {
    const channel& c = channels_[v.channel];
    if (v.state != broadcast_state::live || v.owner_hides_viewers || c.viewers_hidden) {
        return std::nullopt;
    }
    // A new value each simulated minute, within 15 % of the broadcast's base.
    const auto minute = std::chrono::floor<std::chrono::minutes>(t).time_since_epoch().count();
    const std::uint64_t h =
        rng::mix(options_.seed ^ rng::mix(video_index(v)) ^ static_cast<std::uint64_t>(minute));
    const double factor = 0.85 + 0.3 * static_cast<double>(h >> 11) * 0x1.0p-53;
    const auto viewers =
        static_cast<std::int64_t>(std::llround(static_cast<double>(v.base_viewers) * factor));
    if (viewers <= 0) {
        return std::nullopt; // YouTube shows the count only while there are viewers
    }
    return viewers;
}

const channel* world::find_channel(std::string_view id) const {
    const auto it = channel_by_id_.find(std::string(id));
    return it == channel_by_id_.end() ? nullptr : &channels_[it->second];
}

const channel* world::find_channel_by_handle(std::string_view handle) const {
    if (handle.starts_with('@')) {
        handle.remove_prefix(1);
    }
    const auto it = channel_by_handle_.find(lower(handle));
    return it == channel_by_handle_.end() ? nullptr : &channels_[it->second];
}

const video* world::find_video(std::string_view id) const {
    const auto it = video_by_id_.find(std::string(id));
    return it == video_by_id_.end() ? nullptr : &videos_[it->second];
}

rng world::video_rng(const video& v, std::uint64_t salt) const {
    return rng(rng::mix(options_.seed ^ rng::mix(video_index(v) + 1) ^ salt));
}

std::string world::description(const video& v) const {
    constexpr std::uint64_t description_salt = 0xde5c;
    rng r = video_rng(v, description_salt);
    return text::description(r);
}

} // namespace streamscope::platform_mock::youtube

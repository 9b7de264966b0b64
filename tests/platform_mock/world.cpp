#include "tests/platform_mock/world.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <numeric>
#include <stdexcept>
#include <unordered_set>

#include "tests/platform_mock/nasty_text.hpp"

namespace streamscope::platform_mock {
namespace {

constexpr std::string_view language_codes[] = {"en", "es",    "ja", "pt", "ru", "de", "ko",
                                               "fr", "other", "it", "pl", "tr", "zh", "th"};
// Percent weights, in the order above: mostly English, like Twitch.
constexpr unsigned language_weights[] = {40, 10, 8, 7, 6, 6, 6, 5, 4, 2, 2, 2, 1, 1};

constexpr std::int64_t max_viewers = 3'000'000;

// Pareto with shape 0.75: about 80 % of streams below 10 viewers, 1 in 5,000 above 100,000.
std::int64_t heavy_tail_viewers(rng& r) {
    const double v = std::pow(1.0 - r.unit(), -1.0 / 0.75) - 1.0;
    return static_cast<std::int64_t>(std::min(v, static_cast<double>(max_viewers)));
}

std::uint8_t random_language(rng& r) {
    auto roll = r.below(100);
    for (std::size_t i = 0; i < std::size(language_weights); ++i) {
        if (roll < language_weights[i]) {
            return static_cast<std::uint8_t>(i);
        }
        roll -= language_weights[i];
    }
    return 0;
}

// Popular categories (the low indices) get most streams; 8 % have none.
std::uint32_t random_game(rng& r, std::uint32_t games) {
    if (games == 0 || r.chance(0.08)) {
        return channel::no_game;
    }
    const double u = r.unit();
    return static_cast<std::uint32_t>(static_cast<double>(games) * u * u * u);
}

// RFC 3339 with a random fraction of `digits` digits (none when 0), e.g.
// 2026-11-26T10:00:00.123456789Z. `fraction_ns`, when given, receives the fraction's value.
std::string rfc3339(std::chrono::sys_seconds t, unsigned digits, rng& r,
                    std::int64_t* fraction_ns = nullptr) {
    std::string out = time::format_rfc3339(t);
    std::int64_t ns = 0;
    if (digits > 0) {
        out.pop_back(); // the Z
        out += '.';
        for (unsigned i = 0; i < 9; ++i) {
            const auto digit = i < digits ? static_cast<std::int64_t>(r.below(10)) : 0;
            if (i < digits) {
                out += static_cast<char>('0' + digit);
            }
            ns = ns * 10 + digit;
        }
        out += 'Z';
    }
    if (fraction_ns != nullptr) {
        *fraction_ns = ns;
    }
    return out;
}

// Most Helix timestamps have whole seconds; some carry 3, 6 or 9 digits (EventSub-style).
unsigned random_fraction_digits(rng& r) {
    if (!r.chance(0.1)) {
        return 0;
    }
    constexpr unsigned choices[] = {9, 9, 6, 3, 1};
    return r.pick(choices);
}

std::string hex(std::uint64_t value, int digits) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
    return std::string(buf + 16 - digits, static_cast<std::size_t>(digits));
}

std::string uuid_like(std::uint64_t a, std::uint64_t b) {
    return hex(a >> 32, 8) + "-" + hex(a >> 16, 4) + "-" + hex(a, 4) + "-" + hex(b >> 48, 4) + "-" +
           hex(b, 12);
}

} // namespace

world::world(const world_options& options, time::timestamp now)
    : options_(options), rng_(options.seed), next_stream_id_(40'000'000'000ULL) {
    if (options.streams > options.channels) {
        throw std::invalid_argument("more live streams than channels");
    }
    next_stream_id_ += rng_.below(1'000'000'000);

    std::unordered_set<std::uint64_t> used_ids;
    games_.reserve(options.games);
    for (std::uint32_t i = 0; i < options.games; ++i) {
        std::uint64_t id = 0;
        do {
            id = 1 + rng_.below(2'000'000'000);
        } while (!used_ids.insert(id).second);
        game g;
        g.id = std::to_string(id);
        g.name = text::game_name(rng_, i);
        g.igdb_id = rng_.chance(0.2) ? "" : std::to_string(1 + rng_.below(300'000));
        games_.push_back(std::move(g));
    }

    // User ids are spread over Twitch's real range (5 to 10 digits), so that nobody can
    // mistake them for indices or sort them as numbers by accident.
    used_ids.clear();
    std::unordered_set<std::string> used_logins;
    channels_.reserve(options.channels);
    for (std::uint32_t i = 0; i < options.channels; ++i) {
        std::uint64_t id = 0;
        do {
            id = 10'000 + rng_.below(1'400'000'000);
        } while (!used_ids.insert(id).second);
        std::string login = text::login(rng_);
        while (!used_logins.insert(login).second) {
            login = login.size() < 20 ? login + std::to_string(rng_.below(100)) : text::login(rng_);
        }
        channel c;
        c.user_id = std::to_string(id);
        c.display_name = text::display_name(rng_, login);
        c.login = std::move(login);
        c.title = text::title(rng_);
        c.tags = text::tags(rng_);
        c.game = random_game(rng_, options.games);
        c.language = random_language(rng_);
        channels_.push_back(std::move(c));
    }
    // Keys are views into channels_/games_, which never grow again.
    for (std::uint32_t i = 0; i < channels_.size(); ++i) {
        channel_by_id_.emplace(channels_[i].user_id, i);
        channel_by_login_.emplace(channels_[i].login, i);
    }
    for (std::uint32_t i = 0; i < games_.size(); ++i) {
        game_by_id_.emplace(games_[i].id, i);
        game_by_name_.emplace(games_[i].name, i);
    }

    // A random subset goes live; the rest wait offline.
    offline_.resize(channels_.size());
    std::iota(offline_.begin(), offline_.end(), 0U);
    offline_pos_.resize(channels_.size());
    std::iota(offline_pos_.begin(), offline_pos_.end(), 0U);
    streams_.reserve(options.streams);
    ranking_.reserve(options.streams);
    for (std::uint32_t i = 0; i < options.streams; ++i) {
        const std::uint32_t c = take_offline_channel(rng_.below(offline_.size()));
        const std::uint32_t slot = go_live(c, now, true);
        // A handful of big streams even in small worlds: the head of the list matters.
        if (i < 3) {
            streams_[slot].viewer_count = 100'000 + rng_.between(0, 300'000);
        }
        ranking_.push_back(ranked(slot));
    }
    std::sort(ranking_.begin(), ranking_.end(), ranks_before);
}

ranked_stream world::ranked(std::uint32_t slot) const {
    const live_stream& s = streams_[slot];
    const std::int64_t key =
        options_.order == world_order::by_viewers ? s.viewer_count : -s.started_ns;
    return {key, s.id, slot};
}

std::span<const std::string_view> world::languages() {
    return language_codes;
}

std::uint32_t world::take_offline_channel(std::uint64_t position) {
    const std::uint32_t c = offline_[position];
    offline_[position] = offline_.back();
    offline_pos_[offline_[position]] = static_cast<std::uint32_t>(position);
    offline_.pop_back();
    return c;
}

std::uint32_t world::go_live(std::uint32_t channel_index, time::timestamp now, bool initial) {
    channel& c = channels_[channel_index];
    if (!initial) {
        // A new broadcast often comes with a new title, sometimes a new category.
        if (rng_.chance(0.5)) {
            c.title = text::title(rng_);
        }
        if (rng_.chance(0.2)) {
            c.game = random_game(rng_, options_.games);
        }
        if (rng_.chance(0.1)) {
            c.tags = text::tags(rng_);
        }
    }
    live_stream s;
    next_stream_id_ += 1 + rng_.below(5000);
    s.id = next_stream_id_;
    s.id_text = std::to_string(s.id);
    s.channel = channel_index;
    s.viewer_count = heavy_tail_viewers(rng_);
    auto started = std::chrono::floor<std::chrono::seconds>(now);
    if (initial) {
        started -= std::chrono::seconds(rng_.between(60, 36 * 3600));
    }
    std::int64_t fraction_ns = 0;
    s.started_at = rfc3339(started, random_fraction_digits(rng_), rng_, &fraction_ns);
    s.started_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(started.time_since_epoch()).count() +
        fraction_ns;
    s.since_tick = tick_;

    std::uint32_t slot = 0;
    if (free_slots_.empty()) {
        slot = static_cast<std::uint32_t>(streams_.size());
        streams_.push_back(std::move(s));
    } else {
        slot = free_slots_.back();
        free_slots_.pop_back();
        streams_[slot] = std::move(s);
    }
    c.live_slot = slot;
    return slot;
}

std::uint64_t world::amount(const churn_amount& a) {
    const double expected =
        a.percent ? a.value / 100.0 * static_cast<double>(ranking_.size()) : a.value;
    const double whole = std::floor(expected);
    return static_cast<std::uint64_t>(whole) + (rng_.chance(expected - whole) ? 1 : 0);
}

std::int64_t world::drifted(std::int64_t viewers) {
    // A few jump anywhere in the distribution (raids, hosts, front-page features): those
    // move far up or down the list, past whatever offset a client is paging at.
    if (rng_.chance(0.03)) {
        return heavy_tail_viewers(rng_);
    }
    const double scaled = static_cast<double>(viewers) * std::exp(0.2 * rng_.normal());
    const auto next = static_cast<std::int64_t>(std::llround(scaled)) + rng_.between(-1, 1);
    return std::clamp<std::int64_t>(next, 0, max_viewers);
}

void world::tick(time::timestamp now) {
    ++tick_;
    enum : std::uint8_t { untouched, redrawn, ended };
    mark_.resize(streams_.size(), untouched);
    removed_.clear();
    changed_.clear();
    redrawn_.clear();
    // By start a new viewer count moves nothing: drifted entries stay where they are.
    const bool rerank_drift = options_.order == world_order::by_viewers;

    // Drift and ends pick among the streams live before this tick. removed_ collects the
    // ranking entries to take out, under the key they are ranked by now.
    const std::uint64_t drift = ranking_.empty() ? 0 : amount(options_.drift);
    for (std::uint64_t i = 0; i < drift; ++i) {
        const ranked_stream& r = ranking_[rng_.below(ranking_.size())];
        if (mark_[r.slot] == untouched) {
            mark_[r.slot] = redrawn;
            if (rerank_drift) {
                removed_.push_back(r);
            } else {
                redrawn_.push_back(r.slot);
            }
            live_stream& s = streams_[r.slot];
            s.viewer_count = drifted(s.viewer_count);
        }
    }
    const std::uint64_t ends = ranking_.empty() ? 0 : amount(options_.end);
    for (std::uint64_t i = 0; i < ends; ++i) {
        const ranked_stream& r = ranking_[rng_.below(ranking_.size())];
        if (mark_[r.slot] == untouched || (!rerank_drift && mark_[r.slot] == redrawn)) {
            removed_.push_back(r);
        }
        mark_[r.slot] = ended;
    }
    for (const std::uint32_t slot : redrawn_) {
        if (mark_[slot] == redrawn) {
            mark_[slot] = untouched; // ended ones are unmarked with the removals below
        }
    }
    const std::uint64_t starts = amount(options_.start);

    // Re-rank only what changed: find each removed entry by binary search and close the gaps
    // with block moves, then insert the changed entries the same way. With k changes that is
    // O(k log n) comparisons plus memmove-speed shifting, instead of re-sorting all n streams
    // or comparing every entry.
    std::sort(removed_.begin(), removed_.end(), ranks_before);
    auto out = ranking_.begin();
    auto in = ranking_.begin();
    for (const ranked_stream& r : removed_) {
        const auto at = std::lower_bound(in, ranking_.end(), r, ranks_before);
        out = out == in ? at : std::move(in, at, out);
        in = at + 1;
        if (mark_[r.slot] == redrawn) {
            changed_.push_back(ranked(r.slot));
        } else {
            const std::uint32_t c = streams_[r.slot].channel;
            channels_[c].live_slot = channel::offline;
            offline_pos_[c] = static_cast<std::uint32_t>(offline_.size());
            offline_.push_back(c);
            free_slots_.push_back(r.slot);
        }
        mark_[r.slot] = untouched;
    }
    if (!removed_.empty()) {
        out = std::move(in, ranking_.end(), out);
        ranking_.erase(out, ranking_.end());
    }

    for (std::uint64_t i = 0; i < starts && !offline_.empty(); ++i) {
        const std::uint32_t c = take_offline_channel(rng_.below(offline_.size()));
        changed_.push_back(ranked(go_live(c, now, false)));
    }
    std::sort(changed_.begin(), changed_.end(), ranks_before);
    // Merge from the back: each entry's place by binary search, the tail shifted once.
    std::size_t old_end = ranking_.size();
    ranking_.resize(ranking_.size() + changed_.size());
    for (std::size_t j = changed_.size(); j-- > 0;) {
        const auto first = ranking_.begin();
        const auto at = std::upper_bound(first, first + static_cast<std::ptrdiff_t>(old_end),
                                         changed_[j], ranks_before);
        const auto shift = static_cast<std::ptrdiff_t>(j + 1);
        std::move_backward(at, first + static_cast<std::ptrdiff_t>(old_end),
                           first + static_cast<std::ptrdiff_t>(old_end) + shift);
        *(at + static_cast<std::ptrdiff_t>(j)) = changed_[j];
        old_end = static_cast<std::size_t>(at - first);
    }
}

channel_profile world::profile(std::uint32_t channel_index) const {
    // Its own generator per channel: the same profile whenever it is asked for, whatever
    // happened to the world in between.
    rng r(rng::mix(options_.seed ^ rng::mix(0x70f11e0000000000ULL + channel_index)));
    channel_profile p;
    const double kind = r.unit();
    p.broadcaster_type = kind < 0.03 ? "partner" : kind < 0.45 ? "affiliate" : "";
    p.description = text::description(r);
    p.profile_image_url = "https://static-cdn.jtvnw.net/jtv_user_pictures/" +
                          uuid_like(r.next(), r.next()) + "-profile_image-300x300.png";
    if (r.chance(0.4)) {
        p.offline_image_url = "https://static-cdn.jtvnw.net/jtv_user_pictures/" +
                              uuid_like(r.next(), r.next()) +
                              "-channel_offline_image-1920x1080.png";
    }
    // Between Twitch's launch (2011-06) and the end of 2025.
    const std::chrono::sys_seconds created{
        std::chrono::seconds(r.between(1'307'000'000, 1'767'000'000))};
    p.created_at = rfc3339(created, r.chance(0.3) ? 6 : 0, r);
    const double f = std::pow(1.0 - r.unit(), -1.0 / 0.6) - 1.0;
    p.followers = static_cast<std::int64_t>(std::min(f, 20'000'000.0));
    return p;
}

const game* world::game_of(const channel& c) const {
    return c.game == channel::no_game ? nullptr : &games_[c.game];
}

const channel* world::find_channel_by_id(std::string_view user_id) const {
    const auto it = channel_by_id_.find(user_id);
    return it == channel_by_id_.end() ? nullptr : &channels_[it->second];
}

const channel* world::find_channel_by_login(std::string_view login) const {
    const auto it = channel_by_login_.find(login);
    return it == channel_by_login_.end() ? nullptr : &channels_[it->second];
}

const game* world::find_game_by_id(std::string_view id) const {
    const auto it = game_by_id_.find(id);
    return it == game_by_id_.end() ? nullptr : &games_[it->second];
}

const game* world::find_game_by_name(std::string_view name) const {
    const auto it = game_by_name_.find(name);
    return it == game_by_name_.end() ? nullptr : &games_[it->second];
}

} // namespace streamscope::platform_mock

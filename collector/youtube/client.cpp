#include "collector/youtube/client.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "collector/store/sweep_store.hpp"
#include "collector/youtube/categories.hpp"
#include "collector/youtube/channels.hpp"
#include "collector/youtube/queries.hpp"
#include "collector/youtube/videos.hpp"
#include "common/time/pacific_day.hpp"

namespace streamscope::youtube {
namespace {

using system_clock = std::chrono::system_clock;
using namespace boost::asio::experimental::awaitable_operators;

constexpr std::size_t batches_per_page = 20;   // a page: up to 1,000 videos asked
constexpr std::size_t max_candidates = 20'000; // 400 units a sweep at most
// Profiles (channels.list) per sweep: units spent on enrichment.
constexpr std::int64_t profile_calls_per_sweep = 2;
// How long fewer than 50 channels without a profile wait for more to fill the call.
constexpr std::chrono::hours profile_batch_wait{1};
// Videos that are over are kept this long, so that a feed listing them again costs nothing.
constexpr std::chrono::hours keep_videos{24 * 45};

time::timestamp now_utc() {
    return std::chrono::time_point_cast<std::chrono::microseconds>(system_clock::now());
}

constexpr std::string_view from_setting = "setting";

} // namespace

client::client(boost::asio::any_io_executor executor, const youtube_settings& settings,
               std::chrono::milliseconds interval)
    : settings_(settings), interval_(interval), tls_(http::make_tls_context(settings.ca_file)),
      api_http_(executor, tls_, settings.api, settings.timeouts),
      feed_http_(executor, tls_, settings.feed, settings.timeouts),
      api_(
          api_http_, settings.api_key, [this](std::string_view method) { return pay(method); },
          time::backoff_policy{.max_retries = settings.max_retries}),
      poller_(feed_http_, api_, settings, interval), discovery_(api_, settings),
      websub_(executor, tls_, settings) {}

void client::use_store(collector::sweep_store* store) {
    store_ = store;
    poller_.use_store(store);
    websub_.use_store(store);
}

void client::cancel() {
    api_http_.cancel();
    feed_http_.cancel();
    websub_.cancel();
}

boost::asio::awaitable<void> client::run_beside(const bool& stopping) {
    poller_running_ = true;
    // Both until `stopping`; WebSub's run returns at once when it is off.
    co_await (poller_.run(stopping) && websub_.run(stopping));
    poller_running_ = false;
}

boost::asio::awaitable<bool> client::pay(std::string_view method) {
    collector::sweep_store* store = store_;
    if (store == nullptr) {
        co_return false; // no ledger, no spending
    }
    const auto day = time::pacific_day(system_clock::now());
    const std::int64_t quota =
        method == search_list ? settings_.search_quota : settings_.daily_quota;
    try {
        const auto total = co_await store->run([day, method, quota](pqxx::connection& c) {
            return spend_quota(c, day, method, 1, quota);
        });
        if (total && quota_ && method != search_list) {
            quota_->spent = *total;
        }
        co_return total.has_value();
    } catch (const std::exception& e) {
        spdlog::warn("YouTube's quota ledger cannot be written ({}): {} is not called", e.what(),
                     method);
        co_return false;
    }
}

std::optional<std::chrono::milliseconds> client::interval_needed() const {
    const auto now = system_clock::now();
    if (stopped_until_ && *stopped_until_ > now) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(*stopped_until_ - now);
    }
    if (plan_ && (plan_->lengthened || plan_->exhausted)) {
        return plan_->interval;
    }
    return std::nullopt;
}

std::optional<time::timestamp> client::ended_at(const std::string& stream_id) const {
    if (const auto it = ended_at_.find(stream_id); it != ended_at_.end()) {
        return it->second;
    }
    return std::nullopt;
}

void client::plan_day(std::int64_t spent, system_clock::time_point now) {
    std::size_t candidates = 0;
    for (const auto& batch : batches_) {
        candidates += batch.size();
    }
    const quota_plan plan = plan_quota({
        .daily_quota = settings_.daily_quota,
        .spent_today = spent,
        .now = now,
        .day_ends = time::next_pacific_midnight(now),
        // videos.list over the candidates, and what enrichment may spend on profiles: at most
        // that, so that the plan errs on the side of the quota.
        .units_per_sweep = static_cast<std::int64_t>(batches_.size()) + profile_calls_per_sweep,
        .configured_interval = std::chrono::duration_cast<std::chrono::milliseconds>(interval_),
    });
    if (plan.lengthened != said_lengthened_) {
        if (plan.lengthened) {
            spdlog::warn(
                "YouTube: {} candidate videos cost up to {} units a sweep; at the "
                "configured interval today would end past the daily quota of {} (spent: "
                "{}): a sweep every {:.1f} s instead, {} units by the day's end",
                candidates, batches_.size() + profile_calls_per_sweep, settings_.daily_quota, spent,
                std::chrono::duration<double>(plan.interval).count(), plan.projected_day_total);
        } else {
            spdlog::info("YouTube: the day's quota lasts at the configured interval again");
        }
        said_lengthened_ = plan.lengthened;
    }
    plan_ = plan;
    quota_ = collector::quota_report{.day = time::format_date(time::pacific_day(now)),
                                     .daily_quota = settings_.daily_quota,
                                     .spent = spent,
                                     .projected = plan.projected_day_total,
                                     .exhausted = plan.exhausted};
}

boost::asio::awaitable<std::string> client::add_setting_channels() {
    // YOUTUBE_CHANNELS: ids and handles the watchlist does not know yet are resolved through
    // channels.list (a unit per 50 ids, a unit per handle), once per start.
    collector::sweep_store* store = store_;
    std::vector<std::string> handles;
    for (const channel_ref& ref : settings_.channels) {
        if (ref.type == channel_ref::kind::handle) {
            handles.push_back(ref.text.substr(1));
        }
    }
    std::unordered_set<std::string> watched;
    std::map<std::string, std::string> known_handles;
    co_await store->run([&handles, &watched, &known_handles](pqxx::connection& c) {
        for (const watched_channel& w : load_watchlist(c)) {
            watched.insert(w.channel_id);
        }
        known_handles = watched_handles(c, handles);
    });
    std::vector<std::string> unknown_ids;
    std::vector<std::string> unknown_handles;
    for (const channel_ref& ref : settings_.channels) {
        if (ref.type == channel_ref::kind::id && !watched.contains(ref.text)) {
            unknown_ids.push_back(ref.text);
        } else if (ref.type == channel_ref::kind::handle &&
                   !known_handles.contains(ref.text.substr(1))) {
            unknown_handles.push_back(ref.text);
        }
    }
    std::vector<channel_info> found;
    std::vector<std::string> not_found;
    for (const std::vector<std::string>& batch : in_batches(unknown_ids)) {
        if (!co_await resolve_channels(channels_query(batch), batch, found, not_found)) {
            co_return std::string();
        }
    }
    for (const std::string& handle : unknown_handles) {
        std::vector<std::string> asked(1, handle);
        if (!co_await resolve_channels(handle_query(handle), std::move(asked), found, not_found)) {
            co_return std::string();
        }
    }
    if (!not_found.empty()) {
        spdlog::warn("YouTube: YOUTUBE_CHANNELS names channels YouTube does not know (unknown, "
                     "or terminated): {}; they are left out",
                     comma_list(not_found));
    }
    const std::size_t added = co_await store->run(
        [&found](pqxx::connection& c) { return add_to_watchlist(c, found, from_setting); });
    if (added > 0) {
        spdlog::info("YouTube: {} channels of YOUTUBE_CHANNELS added to the watchlist", added);
    }
    setting_channels_added_ = true;
    co_return std::string();
}

boost::asio::awaitable<bool> client::resolve_channels(collector::query q,
                                                      std::vector<std::string> asked,
                                                      std::vector<channel_info>& found,
                                                      std::vector<std::string>& not_found) {
    const data_reply reply = co_await api_.get("/channels", channels_list, q);
    if (!reply.ok()) {
        spdlog::warn("YouTube: YOUTUBE_CHANNELS cannot be resolved now ({}); trying again at "
                     "the next sweep",
                     reply.problem);
        co_return false;
    }
    const std::vector<channel_info> answer = read_channels(reply.body);
    for (const std::string& one : asked) {
        const bool there = std::any_of(answer.begin(), answer.end(), [&one](const auto& c) {
            return c.channel_id == one || c.handle == one;
        });
        if (!there) {
            not_found.push_back(one);
        }
    }
    found.insert(found.end(), answer.begin(), answer.end());
    co_return true;
}

boost::asio::awaitable<std::string> client::start_sweep() {
    batches_.clear();
    next_batch_ = 0;
    logins_.clear();
    asked_channels_.clear();
    live_by_channel_.clear();
    ended_at_.clear();
    failed_problem_.clear();

    collector::sweep_store* store = store_;
    if (store == nullptr) {
        co_return "YouTube needs the database (its watchlist, videos and quota ledger live "
                  "there): no sweep while it is unreachable or another collector leads YouTube";
    }
    const auto now = system_clock::now();
    if (stopped_until_ && *stopped_until_ > now) {
        co_return fmt::format(
            "YouTube said the day's quota is spent (quotaExceeded): no call "
            "before the quota day turns at {}",
            time::format_rfc3339(
                std::chrono::time_point_cast<std::chrono::microseconds>(*stopped_until_)));
    }
    stopped_until_.reset();
    if (!settings_.channels.empty() && !setting_channels_added_) {
        co_await add_setting_channels();
    }
    co_await discovery_.run_if_due(*store);
    if (!poller_running_) {
        // --once: no poller runs beside the sweeps; one pass over the feeds first.
        co_await poller_.poll_all(stopping_ != nullptr ? *stopping_ : never);
    }
    const auto day = time::pacific_day(now);
    std::vector<watched_channel> watchlist;
    std::vector<candidate> candidates;
    std::int64_t spent = 0;
    const time::timestamp asked_at = now_utc();
    // Videos long over are dropped once an hour, not at every sweep.
    const auto steady_now = std::chrono::steady_clock::now();
    const bool forget = steady_now - forgotten_at_ >= std::chrono::hours(1);
    if (forget) {
        forgotten_at_ = steady_now;
    }
    co_await store->run(
        [day, asked_at, forget, &watchlist, &candidates, &spent](pqxx::connection& c) {
            if (forget) {
                forget_old_videos(c, keep_videos);
            }
            watchlist = load_watchlist(c);
            candidates = load_candidates(c, asked_at, max_candidates);
            spent = shared_bucket(spent_on(c, day));
        });
    for (const watched_channel& w : watchlist) {
        logins_.emplace(w.channel_id, w.handle.empty() ? w.channel_id : w.handle);
    }
    batches_ = in_batches(candidates);
    plan_day(spent, now);
    if (plan_->exhausted) {
        batches_.clear();
        co_return fmt::format("the day's YouTube quota is spent ({} of {} units, {} kept in "
                              "reserve): the next sweep is after the quota day turns",
                              spent, settings_.daily_quota, plan_->reserve);
    }
    spdlog::info("YouTube: {} watched channels, {} candidate videos ({} units); {} of {} units "
                 "spent today, {} projected by the day's end",
                 watchlist.size(), candidates.size(), batches_.size(), spent, settings_.daily_quota,
                 plan_->projected_day_total);
    co_return std::string();
}

boost::asio::awaitable<collector::page_answer>
client::list_page(std::size_t /*part: one list*/, const std::optional<std::string>& cursor,
                  std::size_t /*limit: every candidate is asked*/) {
    collector::page_answer out;
    if (!cursor) {
        try {
            if (std::string why = co_await start_sweep(); !why.empty()) {
                out.result = collector::page_answer::outcome::failed;
                out.problem = std::move(why);
                co_return out;
            }
        } catch (const collector::credentials_rejected&) {
            throw;
        } catch (const std::exception& e) {
            out.result = collector::page_answer::outcome::failed;
            out.problem =
                std::string("YouTube's state cannot be read from the database (") + e.what() + ")";
            co_return out;
        }
    } else if (!failed_problem_.empty()) {
        out.result = collector::page_answer::outcome::failed;
        out.problem = failed_problem_;
        co_return out;
    } else {
        next_batch_ = std::stoul(*cursor);
    }

    // A page: up to batches_per_page batches, more only while none has held a live stream yet
    // (the pager takes an empty page with a cursor for a platform bug), or to the end.
    std::vector<video> checked;
    std::vector<std::string> missing;
    for (std::size_t asked = 0;
         next_batch_ < batches_.size() && (asked < batches_per_page || out.page.streams.empty());
         ++next_batch_, ++asked) {
        const std::vector<candidate>& batch = batches_[next_batch_];
        std::vector<std::string> ids;
        for (const candidate& c : batch) {
            ids.push_back(c.video_id);
        }
        const data_reply reply = co_await api_.get("/videos", videos_list, broadcasts_query(ids));
        if (!reply.ok()) {
            if (reply.result == data_reply::outcome::quota_exceeded) {
                const auto now = system_clock::now();
                stopped_until_ = time::next_pacific_midnight(now);
                spdlog::error(
                    "YouTube answers quotaExceeded ({}): another application spends "
                    "this key's quota too. YouTube stops until the quota day turns at "
                    "{} (midnight Pacific); give Streamscope a key of its own",
                    reply.problem,
                    time::format_rfc3339(
                        std::chrono::time_point_cast<std::chrono::microseconds>(*stopped_until_)));
                if (quota_) {
                    quota_->spent = quota_->daily_quota;
                    quota_->exhausted = true;
                }
                if (store_ != nullptr) {
                    try {
                        const auto day = time::pacific_day(now);
                        const std::int64_t quota = settings_.daily_quota;
                        co_await store_->run([day, quota](pqxx::connection& c) {
                            mark_quota_exhausted(c, day, quota);
                        });
                    } catch (const std::exception& e) {
                        spdlog::warn("YouTube: the spent quota cannot be noted in the ledger "
                                     "({})",
                                     e.what());
                    }
                }
            }
            out.problem = "videos.list: " + reply.problem;
            break;
        }
        video_answer answer = read_videos(reply.body);
        out.page.malformed += answer.malformed;
        for (const unreadable_video& u : answer.unreadable) {
            spdlog::warn("YouTube: video {} left out: {}", u.video_id, u.problem);
        }
        const std::vector<std::string> gone = missing_ids(ids, answer);
        for (const candidate& c : batch) {
            asked_channels_.insert(c.channel_id);
        }
        for (video& v : answer.videos) {
            asked_channels_.insert(v.channel_id);
            if (v.phase == video_phase::ended && v.actual_end) {
                ended_at_.emplace(v.video_id, *v.actual_end);
            }
            if (v.phase == video_phase::live) {
                model::stream_observation o = v.observation;
                const auto login = logins_.find(o.platform_user_id);
                o.login = login != logins_.end() ? login->second : o.platform_user_id;
                o.game_name = std::string(category_name(o.platform_game_id));
                if (o.game_name.empty()) {
                    o.platform_game_id.clear(); // no category we can name: none
                }
                live_by_channel_.insert_or_assign(o.platform_user_id, o);
                out.page.streams.push_back(std::move(o));
            }
        }
        missing.insert(missing.end(), gone.begin(), gone.end());
        checked.insert(checked.end(), std::make_move_iterator(answer.videos.begin()),
                       std::make_move_iterator(answer.videos.end()));
    }
    if (store_ != nullptr && (!checked.empty() || !missing.empty())) {
        try {
            co_await store_->run([&checked, &missing, now = now_utc()](pqxx::connection& c) {
                record_checked(c, checked, missing, now);
            });
        } catch (const std::exception& e) {
            spdlog::warn("YouTube: what videos.list said cannot be stored ({}); those videos "
                         "are asked about again next sweep",
                         e.what());
        }
    }
    if (!out.problem.empty() && out.page.streams.empty() && next_batch_ == 0) {
        out.result = collector::page_answer::outcome::failed;
        co_return out;
    }
    out.result = collector::page_answer::outcome::ok;
    // A failed batch ends the list here: the pager asks for the next page, which fails, and
    // the sweep is partial with what the earlier batches gave.
    if (!out.problem.empty()) {
        out.page.cursor = std::to_string(next_batch_);
        failed_problem_ = out.problem; // the next call fails with it
    } else if (next_batch_ < batches_.size()) {
        out.page.cursor = std::to_string(next_batch_);
    }
    co_return out;
}

boost::asio::awaitable<collector::lookup_answer>
client::look_up(std::span<const std::string> channels) {
    collector::lookup_answer out;
    for (const std::string& channel : channels) {
        if (!asked_channels_.contains(channel)) {
            out.answered = false;
            out.problem = "channel " + channel + " was not asked about in this sweep";
            co_return out;
        }
        if (const auto it = live_by_channel_.find(channel); it != live_by_channel_.end()) {
            out.live.push_back(it->second);
        }
    }
    out.answered = true;
    co_return out;
}

std::int64_t client::enrichment_allowance() const {
    return profile_calls_per_sweep;
}

boost::asio::awaitable<void> client::enrich(const collector::enrichment_plan& plan,
                                            std::int64_t budget, model::sweep& sweep) {
    std::size_t games = 0;
    for (const std::string& id : plan.games) {
        if (const std::string_view name = category_name(id); !name.empty()) {
            sweep.games.push_back({.platform_game_id = id,
                                   .name = std::string(name),
                                   .box_art_url = {},
                                   .igdb_id = {}});
            ++games;
        }
    }
    // Profiles a whole batch at a time: channels going live one by one would otherwise cost a
    // unit each (222 units of a simulated day went to channels.list). A partial batch waits
    // up to an hour.
    std::size_t profiles = 0;
    const auto now = std::chrono::steady_clock::now();
    const bool full_batch = plan.stale_channels.size() >= ids_per_call;
    const bool waited = now - profiles_asked_at_ >= profile_batch_wait;
    const std::int64_t calls =
        full_batch || waited ? std::min(budget, profile_calls_per_sweep) : std::int64_t{0};
    if (calls > 0 && !plan.stale_channels.empty()) {
        profiles_asked_at_ = now;
    }
    const auto batches = in_batches(plan.stale_channels);
    for (std::size_t call = 0; call < batches.size() && std::cmp_less(call, calls); ++call) {
        const data_reply reply =
            co_await api_.get("/channels", channels_list, channels_query(batches[call]));
        if (!reply.ok()) {
            spdlog::warn("YouTube: channel profiles not fetched ({}); next sweep", reply.problem);
            break;
        }
        for (const channel_info& c : read_channels(reply.body)) {
            sweep.profiles.push_back({.platform_user_id = c.channel_id,
                                      .description = {},
                                      .profile_image_url = c.thumbnail_url,
                                      .broadcaster_type = {},
                                      .account_created_at = c.published});
            ++profiles;
        }
    }
    spdlog::info("enrichment: {} categories named, {} YouTube channel profiles", games, profiles);
}

} // namespace streamscope::youtube

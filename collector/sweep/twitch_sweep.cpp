#include "collector/sweep/twitch_sweep.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <boost/json/value_to.hpp>
#include <spdlog/spdlog.h>

#include "collector/sweep/page_guard.hpp"
#include "collector/twitch/models.hpp"

namespace streamscope::collector {
namespace {

constexpr std::size_t helix_batch = 100; // ids per Get Streams / Users / Games call
// Pages per sweep, at least; more when the last sweep saw more streams (pitfall 3: a page cap
// of about 1.5 times the expected pages ends a sweep that a cursor bug would never end).
constexpr std::size_t min_page_cap = 2000;
// Twitch's bucket: 800 points.
constexpr std::int64_t max_spare_for_enrichment = 800;

time::timestamp now_utc() {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
}

void note(std::string& problems, const std::string& problem) {
    if (problem.empty()) {
        return;
    }
    if (!problems.empty()) {
        problems += "; ";
    }
    problems += problem;
}

template <typename Page>
std::optional<Page> read_page(const twitch::helix_reply& reply, std::string_view what,
                              std::string& problems) {
    try {
        return boost::json::value_to<Page>(reply.body);
    } catch (const std::exception& e) {
        note(problems, std::string(what) + ": unexpected response (" + e.what() + ")");
        return std::nullopt;
    }
}

} // namespace

struct twitch_sweep::paging {
    explicit paging(std::size_t expected) : seen(expected) {}
    stream_set seen;
    page_guard guard;
    std::int32_t pages = 0;
    std::size_t page_cap = min_page_cap;
    model::sweep_status status = model::sweep_status::complete;
    std::string problems;
};

twitch_sweep::twitch_sweep(twitch::helix_client& helix, sweep_store* store,
                           const twitch::twitch_settings& settings, const bool& stopping)
    : helix_(helix), store_(store), settings_(settings), stopping_(stopping) {}

boost::asio::awaitable<void> twitch_sweep::page_streams(paging& p) {
    std::optional<std::string> cursor;
    bool retried = false; // the current page has been asked for twice
    const auto max_streams = static_cast<std::size_t>(settings_.max_streams);
    for (;;) {
        if (stopping_) {
            p.status = p.pages == 0 ? model::sweep_status::failed : model::sweep_status::partial;
            note(p.problems, "paging stopped: the collector is shutting down");
            co_return;
        }
        if (static_cast<std::size_t>(p.pages) >= p.page_cap) {
            p.status = model::sweep_status::partial;
            note(p.problems,
                 "paging stopped at the cap of " + std::to_string(p.page_cap) + " pages");
            co_return;
        }
        std::size_t first = helix_batch;
        if (max_streams > 0) {
            first = std::min(first, max_streams - p.seen.size());
        }
        twitch::query q{{"first", std::to_string(first)}};
        for (const auto& language : settings_.languages) {
            q.emplace_back("language", language);
        }
        for (const auto& game : settings_.game_ids) {
            q.emplace_back("game_id", game);
        }
        if (cursor) {
            q.emplace_back("after", *cursor);
        }
        const std::string where = "Get Streams page " + std::to_string(p.pages + 1);

        const twitch::helix_reply reply = co_await helix_.get("/streams", q);
        std::optional<twitch::streams_page> page;
        std::string anomaly;
        if (reply.ok()) {
            std::string invalid;
            page = read_page<twitch::streams_page>(reply, where, invalid);
            if (!page) {
                anomaly = invalid;
            } else if (auto verdict = p.guard.check(*page); verdict != page_verdict::ok) {
                anomaly = where + ": " + to_string(verdict);
            }
        } else if (reply.result == twitch::helix_reply::outcome::refused && reply.status == 400 &&
                   cursor) {
            anomaly = where + ": " + reply.problem; // Helix's intermittent "invalid cursor"
        } else {
            p.status = p.pages == 0 ? model::sweep_status::failed : model::sweep_status::partial;
            note(p.problems, where + ": " + reply.problem);
            co_return;
        }
        if (!anomaly.empty()) {
            if (!retried) {
                spdlog::warn("{}; asking for the page once more", anomaly);
                retried = true;
                continue;
            }
            p.status = p.pages == 0 ? model::sweep_status::failed : model::sweep_status::partial;
            note(p.problems, anomaly + ", twice: paging stopped");
            co_return;
        }

        retried = false;
        p.guard.accept(*page);
        ++p.pages;
        for (auto& stream : page->streams) {
            p.seen.add(std::move(stream));
        }
        if (!page->cursor || (max_streams > 0 && p.seen.size() >= max_streams)) {
            co_return;
        }
        cursor = std::move(page->cursor);
    }
}

boost::asio::awaitable<lookup_answers>
twitch_sweep::look_up(const std::vector<std::string>& user_ids, std::string& problems) {
    lookup_answers answers;
    for (std::size_t at = 0; at < user_ids.size(); at += helix_batch) {
        const std::size_t end = std::min(user_ids.size(), at + helix_batch);
        twitch::query q{{"first", std::to_string(helix_batch)}};
        for (std::size_t i = at; i < end; ++i) {
            q.emplace_back("user_id", user_ids[i]);
        }
        const twitch::helix_reply reply = co_await helix_.get("/streams", q);
        if (!reply.ok()) {
            note(problems, "look-up of missing channels: " + reply.problem);
            continue; // those channels stay undecided
        }
        auto page = read_page<twitch::streams_page>(reply, "look-up of missing channels", problems);
        if (!page) {
            continue;
        }
        for (std::size_t i = at; i < end; ++i) {
            answers.asked.insert(user_ids[i]);
        }
        for (auto& stream : page->streams) {
            if (answers.asked.contains(stream.platform_user_id)) {
                auto user = stream.platform_user_id;
                answers.live.insert_or_assign(std::move(user), std::move(stream));
            }
        }
    }
    co_return answers;
}

boost::asio::awaitable<void> twitch_sweep::enrich(sweep_store& store, model::sweep& sweep,
                                                  std::int64_t budget) {
    const enrichment_plan plan = co_await store.plan(model::platform::twitch, sweep.streams,
                                                     settings_.channel_refresh, budget);
    const auto& games = plan.games;
    const auto& stale_channels = plan.stale_channels;
    const auto& follower_candidates = plan.follower_channels;

    const auto batches = [&](const std::vector<std::string>& ids, std::string_view param,
                             std::string_view path,
                             auto&& take) -> boost::asio::awaitable<std::size_t> {
        std::size_t done = 0;
        for (std::size_t at = 0; at < ids.size() && budget > 0; at += helix_batch, --budget) {
            twitch::query q;
            for (std::size_t i = at; i < std::min(ids.size(), at + helix_batch); ++i) {
                q.emplace_back(param, ids[i]);
            }
            const twitch::helix_reply reply = co_await helix_.get(path, q);
            if (!reply.ok()) {
                spdlog::warn("enrichment through {} stopped for this sweep: {}", path,
                             reply.problem);
                break;
            }
            take(reply);
            done += std::min(ids.size(), at + helix_batch) - at;
        }
        co_return done;
    };

    const std::size_t games_done = co_await batches(games, "id", "/games", [&](const auto& reply) {
        if (auto page = read_page<twitch::games_page>(reply, "Get Games", sweep.error)) {
            std::move(page->games.begin(), page->games.end(), std::back_inserter(sweep.games));
        }
    });
    const std::size_t channels_done =
        co_await batches(stale_channels, "id", "/users", [&](const auto& reply) {
            if (auto page = read_page<twitch::users_page>(reply, "Get Users", sweep.error)) {
                for (auto& u : page->users) {
                    sweep.profiles.push_back(std::move(u.profile));
                }
            }
        });

    std::size_t followers_done = 0;
    for (std::size_t i = 0; followers_enabled_ && i < follower_candidates.size() && budget > 0;
         ++i, --budget) {
        // (A named query: GCC 12 miscompiles a braced list inside co_await.)
        const twitch::query q{{"broadcaster_id", follower_candidates[i]}, {"first", "1"}};
        const twitch::helix_reply reply =
            co_await helix_.get("/channels/followers", q, /*may_be_forbidden=*/true);
        if (reply.result == twitch::helix_reply::outcome::refused &&
            (reply.status == 401 || reply.status == 403)) {
            followers_enabled_ = false;
            spdlog::warn("Twitch does not let this app token read follower counts ({}); "
                         "follower counts are off until the collector restarts",
                         reply.problem);
            break;
        }
        if (!reply.ok()) {
            spdlog::warn("follower counts stopped for this sweep: {}", reply.problem);
            break;
        }
        if (auto total =
                read_page<twitch::followers_total>(reply, "Get Channel Followers", sweep.error)) {
            sweep.followers.push_back({follower_candidates[i], total->total});
            ++followers_done;
        }
    }
    spdlog::info("enrichment: {} games, {} channel profiles and {} follower counts fetched",
                 games_done, channels_done, followers_done);
}

boost::asio::awaitable<collected_sweep> twitch_sweep::collect() {
    collected_sweep out;
    model::sweep& sweep = out.sweep;
    sweep_report& report = out.report;
    sweep.source = model::platform::twitch;
    sweep.started_at = now_utc();
    const twitch::helix_counters before = helix_.counters();

    // Without the database (down, or no store) the sweep still pages and is spooled; it only
    // cannot recover missed streams, decide ends, or know what to enrich.
    sweep_store* store = store_;
    const auto without_database = [&](const std::exception& e) {
        spdlog::warn("the database failed during the sweep ({}); the sweep goes on without "
                     "look-ups and enrichment and will be spooled if it cannot be stored",
                     e.what());
        store = nullptr;
    };
    latest_sweep latest;
    if (store != nullptr) {
        try {
            latest = co_await store->latest(model::platform::twitch);
        } catch (const std::exception& e) {
            without_database(e);
        }
    }
    paging p{latest.streams + latest.streams / 10};
    p.page_cap = std::max(min_page_cap, latest.streams * 3 / 2 / helix_batch);
    spdlog::info("sweep started; the last one saw {} streams", latest.streams);
    co_await page_streams(p);
    spdlog::info("paging done: {} pages, {} streams, {} duplicates dropped", p.pages, p.seen.size(),
                 p.seen.duplicates());

    end_decision ends;
    const bool go_on = p.status != model::sweep_status::failed && !stopping_;
    if (go_on && store != nullptr) {
        try {
            const std::vector<open_broadcast> unmatched =
                co_await store->unmatched(model::platform::twitch, latest, p.seen.streams());
            const auto missing = channels_to_look_up(unmatched, p.seen);
            std::string lookup_problems;
            const lookup_answers answers = co_await look_up(missing, lookup_problems);
            if (!lookup_problems.empty()) {
                spdlog::warn("{}", lookup_problems);
            }
            ends = decide_ends(unmatched, p.seen, answers, latest.complete,
                               p.status == model::sweep_status::complete);
            spdlog::info("{} open broadcasts not on the pages; looked up {} channels: {} still "
                         "live, {} broadcasts ended, {} undecided",
                         unmatched.size(), missing.size(), ends.recovered.size(), ends.ended.size(),
                         ends.undecided);
        } catch (const std::exception& e) {
            without_database(e);
        }
    }
    report.recovered = ends.recovered.size();
    for (auto& stream : ends.recovered) {
        p.seen.add(std::move(stream));
    }
    sweep.duplicates_dropped = p.seen.duplicates();
    sweep.streams = p.seen.take();
    sweep.ended = std::move(ends.ended);

    // Enrichment may use what the bucket holds now (up to a Twitch bucket's worth, so that a
    // server without a limit does not turn one sweep into 100,000 follower calls) plus a
    // tenth of what paging needed, so it stretches the sweep by about a tenth at most.
    const auto& budget = helix_.budget();
    const auto spare = static_cast<std::int64_t>(
        std::floor(budget.available(std::chrono::steady_clock::now()) - budget.reserve()));
    if (go_on && store != nullptr && !stopping_) {
        try {
            co_await enrich(*store, sweep,
                            std::clamp<std::int64_t>(spare, 0, max_spare_for_enrichment) +
                                p.pages / 10);
        } catch (const std::exception& e) {
            without_database(e);
        }
    }

    const twitch::helix_counters& after = helix_.counters();
    sweep.finished_at = now_utc();
    sweep.status = p.status;
    sweep.pages = p.pages;
    sweep.requests = static_cast<std::int32_t>(after.requests - before.requests);
    sweep.retries = static_cast<std::int32_t>(after.retries - before.retries);
    note(p.problems, sweep.error);
    sweep.error = p.problems;

    report.status = sweep.status;
    report.streams = sweep.streams.size();
    report.ended = sweep.ended.size();
    report.undecided = ends.undecided;
    report.pages = sweep.pages;
    report.requests = sweep.requests;
    report.throttled = after.throttled - before.throttled;
    report.error = sweep.error;
    co_return out;
}

} // namespace streamscope::collector

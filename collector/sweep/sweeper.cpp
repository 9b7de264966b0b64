#include "collector/sweep/sweeper.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "collector/sweep/pager.hpp"

namespace streamscope::collector {
namespace {

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

} // namespace

sweeper::sweeper(platform_client& client, sweep_store* store, sweep_options options,
                 const bool& stopping)
    : client_(client), store_(store), options_(options), stopping_(stopping) {
    client_.use_store(store);
}

boost::asio::awaitable<lookup_answers> sweeper::look_up(const std::vector<std::string>& user_ids,
                                                        std::int32_t& malformed,
                                                        std::string& problems) {
    lookup_answers answers;
    const std::size_t batch = client_.lookup_batch();
    for (std::size_t at = 0; at < user_ids.size(); at += batch) {
        const std::size_t end = std::min(user_ids.size(), at + batch);
        const std::span<const std::string> asked(user_ids.data() + at, end - at);
        lookup_answer answer = co_await client_.look_up(asked);
        malformed += answer.malformed;
        if (!answer.answered) {
            note(problems, "look-up of missing channels: " + answer.problem);
            continue; // those channels stay undecided
        }
        const std::unordered_set<std::string_view> batch_ids(asked.begin(), asked.end());
        for (auto& stream : answer.live) {
            if (batch_ids.contains(stream.platform_user_id)) {
                answers.asked.insert(stream.platform_user_id);
                auto user = stream.platform_user_id;
                answers.live.insert_or_assign(std::move(user), std::move(stream));
            }
        }
        if (answer.malformed > 0) {
            // An unreadable record may be the stream of any channel the answer leaves out: for
            // those, the look-up says nothing, and they stay undecided.
            note(problems, "look-up of missing channels: " + std::to_string(answer.malformed) +
                               " unreadable records; the channels without a live stream in that "
                               "answer stay undecided");
            continue;
        }
        for (const std::string& id : asked) {
            answers.asked.insert(id); // answered: a channel without a stream in it is offline
        }
    }
    co_return answers;
}

boost::asio::awaitable<collected_sweep> sweeper::collect() {
    collected_sweep out;
    model::sweep& sweep = out.sweep;
    sweep_report& report = out.report;
    const model::platform platform = client_.platform();
    sweep.source = platform;
    sweep.started_at = now_utc();
    const api_counters before = client_.counters();

    // Without the database (down, or no store) the sweep still pages and is spooled; it only
    // cannot recover missed streams, decide ends, or know what to enrich.
    sweep_store* store = store_;
    const auto without_database = [&](const std::exception& e) {
        spdlog::warn("the database failed during the {} sweep ({}); the sweep goes on without "
                     "look-ups and enrichment and will be spooled if it cannot be stored",
                     model::to_string(platform), e.what());
        store = nullptr;
    };
    latest_sweep latest;
    if (store != nullptr) {
        try {
            latest = co_await store->latest(platform);
        } catch (const std::exception& e) {
            without_database(e);
        }
    }
    pager p{client_, latest.streams, options_.max_streams, stopping_};
    stream_set& seen = p.seen();
    spdlog::info("{} sweep started; the last one saw {} streams", model::to_string(platform),
                 latest.streams);
    co_await p.run();
    std::int32_t malformed = p.malformed();
    spdlog::info("{} paging done: {} pages, {} streams, {} duplicates dropped; {} pages of the "
                 "stretch that moved paged again, {} streams only that pass saw",
                 model::to_string(platform), p.pages(), seen.size(), seen.duplicates(), p.repaged(),
                 p.caught_again());

    end_decision ends;
    const bool go_on = p.status() != model::sweep_status::failed && !stopping_;
    if (go_on && store != nullptr) {
        try {
            const std::vector<open_broadcast> unmatched =
                co_await store->unmatched(platform, latest, seen.streams());
            const auto missing = channels_to_look_up(unmatched, seen);
            std::string lookup_problems;
            const lookup_answers answers = co_await look_up(missing, malformed, lookup_problems);
            if (!lookup_problems.empty()) {
                spdlog::warn("{}", lookup_problems);
            }
            ends = decide_ends(unmatched, seen, answers, latest.complete,
                               p.status() == model::sweep_status::complete);
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
        seen.add(std::move(stream));
    }
    if (go_on) {
        const std::optional<std::int64_t> live = co_await client_.reported_live();
        if (live) {
            spdlog::info("{} says {} streams are live; this sweep has {}",
                         model::to_string(platform), *live, seen.size());
        }
    }
    sweep.duplicates_dropped = seen.duplicates();
    sweep.malformed_records = malformed;
    sweep.streams = seen.take();
    sweep.ended = std::move(ends.ended);
    for (model::ended_stream& ended : sweep.ended) {
        if (const auto at = client_.ended_at(ended.platform_stream_id)) {
            ended.last_seen_at = *at;
        }
    }

    // Enrichment may use what the rate limit leaves now plus a tenth of what paging needed, so
    // it stretches the sweep by about a tenth at most.
    if (go_on && store != nullptr && !stopping_) {
        try {
            const std::int64_t budget = client_.enrichment_allowance() + p.pages() / 10;
            const enrichment_plan plan =
                co_await store->plan(platform, sweep.streams, options_.channel_refresh, budget,
                                     client_.counts_followers());
            co_await client_.enrich(plan, budget, sweep);
        } catch (const std::exception& e) {
            without_database(e);
        }
    }

    const api_counters& after = client_.counters();
    sweep.finished_at = now_utc();
    sweep.status = p.status();
    sweep.pages = p.pages();
    sweep.requests = static_cast<std::int32_t>(after.requests - before.requests);
    sweep.retries = static_cast<std::int32_t>(after.retries - before.retries);
    std::string problems = p.problems();
    note(problems, sweep.error);
    sweep.error = problems;

    report.status = sweep.status;
    report.streams = sweep.streams.size();
    report.ended = sweep.ended.size();
    report.undecided = ends.undecided;
    report.pages = sweep.pages;
    report.requests = sweep.requests;
    report.throttled = after.throttled - before.throttled;
    report.malformed = malformed;
    report.repaged = p.repaged();
    report.caught_again = p.caught_again();
    report.error = sweep.error;
    co_return out;
}

} // namespace streamscope::collector

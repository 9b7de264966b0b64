#include "collector/commands/youtube.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <spdlog/spdlog.h>

#include "collector/platform/oauth_token_source.hpp"
#include "collector/youtube/channels.hpp"
#include "collector/youtube/data_api.hpp"
#include "collector/youtube/queries.hpp"
#include "collector/youtube/tracking.hpp"
#include "common/cli/exit_codes.hpp"
#include "common/cli/migrate_command.hpp"
#include "common/db/connection.hpp"
#include "common/time/pacific_day.hpp"

namespace streamscope::collector {
namespace {

constexpr std::string_view youtube_usage =
    "usage: streamscope-collector youtube add ID-or-@HANDLE-or-URL... [--file FILE]\n"
    "       streamscope-collector youtube remove ID-or-@HANDLE...\n"
    "       streamscope-collector youtube list\n";

// Channels a single `add` may name: 40 units of quota for ids, one per handle.
constexpr std::size_t max_channels_per_add = 10'000;

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : std::string(separator)) + item;
    }
    return out;
}

std::string time_text(const std::optional<time::timestamp>& t) {
    return t ? time::format_rfc3339(std::chrono::floor<std::chrono::seconds>(*t)) : "-";
}

// The channel references of the words and of the file's lines (blank lines and # comments
// skipped); what is none is reported in `bad`.
std::vector<youtube::channel_ref> read_refs(const std::vector<std::string>& words,
                                            const std::string& file, std::vector<std::string>& bad,
                                            bool& file_failed) {
    std::vector<std::string> texts(words.begin(), words.end());
    if (!file.empty()) {
        std::ifstream in(file);
        if (!in) {
            file_failed = true;
            return {};
        }
        for (std::string line; std::getline(in, line);) {
            const auto start = line.find_first_not_of(" \t\r");
            if (start == std::string::npos || line[start] == '#') {
                continue;
            }
            texts.push_back(line);
        }
    }
    std::vector<youtube::channel_ref> refs;
    std::set<std::string> seen;
    for (const std::string& text : texts) {
        if (auto ref = youtube::parse_channel_ref(text)) {
            if (seen.insert(ref->text).second) {
                refs.push_back(std::move(*ref));
            }
        } else {
            bad.push_back(text);
        }
    }
    return refs;
}

int list_watchlist(pqxx::connection& conn) {
    const auto watchlist = youtube::load_watchlist(conn);
    const auto day = time::pacific_day(std::chrono::system_clock::now());
    const auto spent = youtube::spent_on(conn, day);
    std::printf("%-24s %-24s %-10s %-20s %-20s %8s  %s\n", "CHANNEL_ID", "HANDLE", "SOURCE",
                "ADDED", "FEED_READ", "FAILURES", "TITLE");
    for (const auto& c : watchlist) {
        std::printf("%-24s %-24s %-10s %-20s %-20s %8d  %s\n", c.channel_id.c_str(),
                    c.handle.empty() ? "-" : ("@" + c.handle).c_str(), c.source.c_str(),
                    time_text(c.added_at).c_str(), time_text(c.feed_polled_at).c_str(),
                    c.feed_failures, c.title.c_str());
    }
    std::printf("%zu channels; quota units spent today (Pacific day %s): %lld\n", watchlist.size(),
                time::format_date(day).c_str(),
                static_cast<long long>(youtube::shared_bucket(spent)));
    return cli::exit_ok;
}

int remove_channels(pqxx::connection& conn, const std::vector<youtube::channel_ref>& refs) {
    std::vector<std::string> handles;
    for (const auto& ref : refs) {
        if (ref.type == youtube::channel_ref::kind::handle) {
            handles.push_back(ref.text.substr(1));
        }
    }
    const auto by_handle = youtube::watched_handles(conn, handles);
    std::vector<std::string> ids;
    std::vector<std::string> not_watched;
    for (const auto& ref : refs) {
        if (ref.type == youtube::channel_ref::kind::id) {
            ids.push_back(ref.text);
        } else if (const auto it = by_handle.find(ref.text.substr(1)); it != by_handle.end()) {
            ids.push_back(it->second);
        } else {
            not_watched.push_back(ref.text);
        }
    }
    const auto removed = youtube::remove_from_watchlist(conn, ids);
    const std::set<std::string> gone(removed.begin(), removed.end());
    for (const std::string& id : ids) {
        if (!gone.contains(id)) {
            not_watched.push_back(id);
        }
    }
    std::printf("removed %zu channels from the watchlist\n", removed.size());
    if (!not_watched.empty()) {
        std::cerr << "not on the watchlist: " << joined(not_watched, ", ") << '\n';
    }
    return cli::exit_ok;
}

struct resolved {
    std::vector<youtube::channel_info> found;
    std::vector<std::string> unknown;
    std::string failure; // YouTube did not answer: what it said
};

// Asks channels.list about the ids (50 a call) and the handles (one a call).
boost::asio::awaitable<void> resolve(youtube::data_api& api, std::vector<std::string> ids,
                                     std::vector<std::string> handles, resolved& out) {
    for (const std::vector<std::string>& batch : youtube::in_batches(ids)) {
        const youtube::data_reply reply =
            co_await api.get("/channels", youtube::channels_list, youtube::channels_query(batch));
        if (!reply.ok()) {
            out.failure = reply.problem;
            co_return;
        }
        const auto answer = youtube::read_channels(reply.body);
        const std::set<std::string> there = [&answer] {
            std::set<std::string> s;
            for (const auto& c : answer) {
                s.insert(c.channel_id);
            }
            return s;
        }();
        for (const std::string& id : batch) {
            if (!there.contains(id)) {
                out.unknown.push_back(id);
            }
        }
        out.found.insert(out.found.end(), answer.begin(), answer.end());
    }
    for (const std::string& handle : handles) {
        const youtube::data_reply reply =
            co_await api.get("/channels", youtube::channels_list, youtube::handle_query(handle));
        if (!reply.ok()) {
            out.failure = reply.problem;
            co_return;
        }
        const auto answer = youtube::read_channels(reply.body);
        if (answer.empty()) {
            out.unknown.push_back(handle);
        }
        out.found.insert(out.found.end(), answer.begin(), answer.end());
    }
}

int add_channels(pqxx::connection& conn, const youtube::youtube_settings& settings,
                 const std::vector<youtube::channel_ref>& refs) {
    if (settings.api_key.empty()) {
        std::cerr << "streamscope-collector: youtube add needs YOUTUBE_API_KEY (channels are "
                     "checked with YouTube's channels.list)\n";
        return cli::exit_bad_config;
    }
    if (refs.size() > max_channels_per_add) {
        std::cerr << "streamscope-collector: at most " << max_channels_per_add
                  << " channels at once\n";
        return cli::exit_bad_config;
    }
    // What the watchlist knows already costs nothing.
    std::set<std::string> watched;
    for (const auto& c : youtube::load_watchlist(conn)) {
        watched.insert(c.channel_id);
    }
    std::vector<std::string> handles;
    for (const auto& ref : refs) {
        if (ref.type == youtube::channel_ref::kind::handle) {
            handles.push_back(ref.text.substr(1));
        }
    }
    const auto known = youtube::watched_handles(conn, handles);
    std::vector<std::string> ask_ids;
    std::vector<std::string> ask_handles;
    std::size_t already = 0;
    for (const auto& ref : refs) {
        const bool is_id = ref.type == youtube::channel_ref::kind::id;
        if (is_id ? watched.contains(ref.text) : known.contains(ref.text.substr(1))) {
            ++already;
        } else {
            (is_id ? ask_ids : ask_handles).push_back(ref.text);
        }
    }

    boost::asio::io_context io;
    auto tls = http::make_tls_context(settings.ca_file);
    http::client api_http(io.get_executor(), tls, settings.api, settings.timeouts);
    const auto day = time::pacific_day(std::chrono::system_clock::now());
    const youtube::quota_gate pay =
        [&conn, day, &settings](std::string_view method) -> boost::asio::awaitable<bool> {
        co_return youtube::spend_quota(conn, day, method, 1, settings.daily_quota).has_value();
    };
    youtube::data_api api(api_http, settings.api_key, pay,
                          time::backoff_policy{.max_retries = settings.max_retries});
    resolved result;
    auto done = boost::asio::co_spawn(io, resolve(api, ask_ids, ask_handles, result),
                                      boost::asio::use_future);
    io.run();
    done.get(); // rethrows credentials_rejected

    const std::size_t added = youtube::add_to_watchlist(conn, result.found, "command");
    std::printf("added %zu channels to the watchlist (%zu were on it already)\n", added,
                already + (result.found.size() - added));
    if (!result.unknown.empty()) {
        std::cerr << "YouTube does not know these channels (unknown, or terminated), left out: "
                  << joined(result.unknown, ", ") << '\n';
    }
    if (!result.failure.empty()) {
        std::cerr << "streamscope-collector: YouTube stopped answering (" << result.failure
                  << "); the channels before it were added, run the command again for the "
                     "rest\n";
        return cli::exit_failure;
    }
    return cli::exit_ok;
}

} // namespace

int run_youtube_command(const config::service_settings& service,
                        const youtube::youtube_settings& settings, const std::string& file,
                        const std::vector<std::string>& arguments) {
    const std::string action = arguments.empty() ? "" : arguments[0];
    if (action != "add" && action != "remove" && action != "list") {
        std::cerr << "streamscope-collector: youtube needs add, remove or list\n" << youtube_usage;
        return cli::exit_bad_config;
    }
    const std::vector<std::string> words(arguments.begin() + 1, arguments.end());
    std::vector<std::string> bad;
    bool file_failed = false;
    const auto refs = read_refs(words, action == "add" ? file : "", bad, file_failed);
    if (file_failed) {
        std::cerr << "streamscope-collector: cannot read " << file << '\n';
        return cli::exit_bad_config;
    }
    if (action == "list" ? !words.empty() : refs.empty() && bad.empty()) {
        std::cerr << "streamscope-collector: "
                  << (action == "list" ? "youtube list takes no further words"
                                       : "youtube " + action + " needs channels")
                  << '\n'
                  << youtube_usage;
        return cli::exit_bad_config;
    }
    if (!bad.empty()) {
        std::cerr << "not a channel id (UC + 22 characters), @handle or channel URL, left out: "
                  << joined(bad, ", ") << '\n';
        if (refs.empty()) {
            return cli::exit_bad_config;
        }
    }
    try {
        if (const int migrated = cli::run_migrate(service.database, "streamscope-collector");
            migrated != cli::exit_ok) {
            return migrated;
        }
        auto conn =
            db::connect(service.database, {.application_name = "streamscope-collector youtube"});
        if (action == "list") {
            return list_watchlist(*conn);
        }
        if (action == "remove") {
            return remove_channels(*conn, refs);
        }
        return add_channels(*conn, settings, refs);
    } catch (const credentials_rejected& e) {
        std::cerr << "streamscope-collector: " << e.what() << '\n';
        return cli::exit_bad_credentials;
    } catch (const std::exception& e) {
        std::cerr << "streamscope-collector: youtube " << action << " failed: " << e.what() << '\n';
        return cli::exit_failure;
    }
}

} // namespace streamscope::collector

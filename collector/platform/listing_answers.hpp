#pragma once
// What Twitch and Kick answers have in common once a platform's JSON is mapped: a listing read
// record by record, its cursor, and the page or look-up answer the sweep decides on.

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>
#include <spdlog/spdlog.h>

#include "collector/platform/api_client.hpp"
#include "collector/platform/json_fields.hpp"
#include "collector/platform/platform_client.hpp"

namespace streamscope::collector {

// The id of a record for a log line: its "id" (text or number), else "(no id)".
std::string record_id(const boost::json::value& record);

// The cursor at answer.pagination.<key>; nullopt when it is missing or empty (the list's end).
std::optional<std::string> pagination_cursor(const boost::json::value& answer,
                                             std::string_view key);

// The streams of an answer's `data` array, each read by `read_stream(object)`: a record that
// is not an object, or that `read_stream` finds malformed (it throws malformed_field), is left
// out with a warning naming `platform` and counted. Throws malformed_field when there is no
// `data` array at all.
template <typename ReadStream>
listing_page read_listing(const boost::json::value& answer, std::string_view platform,
                          ReadStream&& read_stream) {
    listing_page page;
    const boost::json::array& data = json_data_array(answer);
    page.streams.reserve(data.size());
    for (const boost::json::value& record : data) {
        try {
            const boost::json::object* o = record.if_object();
            if (o == nullptr) {
                bad_field("(record)", "an object");
            }
            page.streams.push_back(read_stream(*o));
        } catch (const malformed_field& e) {
            ++page.malformed;
            spdlog::warn("{} sent a stream record that cannot be read (stream {}: {}); it is "
                         "left out of this sweep and counted",
                         platform, record_id(record), e.what());
        }
    }
    return page;
}

// A listing page's answer: `read` (answer -> listing_page) maps a 2xx body; an unreadable
// body, or a 400 to a request with a cursor (the platform refused the cursor), is worth one
// more try; any other failure ends paging.
template <typename Read>
page_answer page_answer_of(const api_reply& reply, bool had_cursor, Read&& read) {
    page_answer answer;
    if (reply.ok()) {
        try {
            answer.page = read(reply.body);
            answer.result = page_answer::outcome::ok;
        } catch (const std::exception& e) {
            answer.result = page_answer::outcome::retry;
            answer.problem = std::string("unexpected response (") + e.what() + ")";
        }
    } else if (reply.result == api_reply::outcome::refused && reply.status == 400 && had_cursor) {
        answer.result = page_answer::outcome::retry;
        answer.problem = reply.problem;
    } else {
        answer.result = page_answer::outcome::failed;
        answer.problem = reply.problem;
    }
    return answer;
}

// A look-up's answer: the live streams `read` finds in a 2xx body; unanswered otherwise.
template <typename Read>
lookup_answer lookup_answer_of(const api_reply& reply, Read&& read) {
    lookup_answer answer;
    if (!reply.ok()) {
        answer.problem = reply.problem;
        return answer;
    }
    try {
        listing_page page = read(reply.body);
        answer.answered = true;
        answer.live = std::move(page.streams);
        answer.malformed = page.malformed;
    } catch (const std::exception& e) {
        answer.problem = std::string("unexpected response (") + e.what() + ")";
    }
    return answer;
}

} // namespace streamscope::collector

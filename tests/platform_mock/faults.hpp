#pragma once
// Fault injection for tests: a list of rules, each naming a kind of misbehaviour and which
// matching requests it hits. Pure logic: the service asks which faults apply to a request and
// carries them out. Not thread-safe.
//
// Each platform has its own table, which sees only that platform's requests.
//
// A rule hits the (after+1)-th through (after+count)-th request that matches it, counted from
// when it was installed; with `always` (or count 0) it hits every matching request after the
// first `after`. A request matches when its path starts with the rule's `path` (default: the
// platform's API prefix, e.g. "/helix/") and the kind can apply to it (invalid_cursor only to a
// listing page that continues from a cursor; empty_page_with_cursor and cursor_loop only to
// listing pages; bad_record only to pages of records of a platform that corrupts them, Kick).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

namespace streamscope::platform_mock {

enum class fault_kind {
    server_error,           // "5xx": 503 (or status 500/502/504) with Twitch's error body
    reset,                  // close the connection without answering
    truncate,               // full Content-Length, half the body, then close
    invalid_json,           // 200 with a body that is not JSON
    slow,                   // answer after delay_ms
    revoke_tokens,          // invalidate every token issued so far, then answer (401)
    rate_limit_storm,       // 429 with Remaining 0 and Reset now + reset_s
    invalid_cursor,         // 400 invalid cursor
    empty_page_with_cursor, // data [] but a valid next cursor
    cursor_loop,            // the next cursor restarts from the top
    omit_ratelimit_headers, // no Ratelimit-* headers
    omit_pagination,        // no "pagination" key at all
    bad_record,             // one record of the page is malformed (see record_corruption)
};

// How a bad_record fault breaks a record (Kick's field names: the only platform that applies
// it so far). `rotate` takes the four in turn, one per hit, starting with the first.
enum class record_corruption {
    null_viewer_count,        // "viewer_count": null
    numeric_tag,              // a number among the tags
    viewer_count_overflow,    // a viewer_count beyond int32
    missing_broadcaster_user, // no "broadcaster_user" key
    rotate,
};

std::string_view record_corruption_name(record_corruption how);

std::string_view fault_kind_name(fault_kind kind);

struct fault_rule {
    fault_kind kind = fault_kind::server_error;
    std::uint64_t count = 1;
    std::uint64_t after = 0;
    bool always = false;
    std::string path;
    unsigned status = 503;                             // server_error only
    std::uint32_t delay_ms = 3000;                     // slow only
    std::uint32_t reset_s = 2;                         // rate_limit_storm only
    record_corruption how = record_corruption::rotate; // bad_record only

    std::uint64_t seen = 0;      // matching requests since installed
    std::uint64_t triggered = 0; // of those, the ones it hit
};

// A rule from its JSON form, e.g. {"kind":"5xx","count":3,"after":10,"path":"/helix/streams"};
// without "path" it gets `default_path`. The error says what is wrong, for the 400 answer.
boost::system::result<fault_rule, std::string> parse_fault(const boost::json::value& json,
                                                           std::string_view default_path);

// A JSON rule or an array of rules, all or nothing.
boost::system::result<std::vector<fault_rule>, std::string>
parse_faults(std::string_view json, std::string_view default_path);

// The command-line form kind[:count[:after]], e.g. "5xx:3:10"; count 0 means always.
boost::system::result<fault_rule, std::string> parse_fault_spec(std::string_view spec,
                                                                std::string_view default_path);

// What a request carries that decides whether a rule can apply to it.
struct fault_request {
    std::string_view path;
    bool is_listing = false;  // a page of the platform's live list (GET /helix/streams)
    bool has_cursor = false;  // ... that continues from a cursor (`after`)
    bool has_records = false; // a page of records that bad_record can corrupt
};

// Everything the installed rules do to one request. Several rules can hit the same request:
// the service applies the answer-replacing ones in a fixed order (see service.cpp) and all
// modifiers together.
struct fault_effects {
    bool revoke_tokens = false;
    bool reset = false;
    bool rate_limit_storm = false;
    std::uint32_t storm_reset_s = 0;
    std::optional<unsigned> server_error;
    bool invalid_json = false;
    bool invalid_cursor = false;
    bool empty_page_with_cursor = false;
    bool cursor_loop = false;
    bool omit_pagination = false;
    bool omit_ratelimit_headers = false;
    bool truncate = false;
    std::chrono::milliseconds delay{0};
    std::optional<record_corruption> bad_record; // never `rotate`: the turn it is
};

class fault_table {
public:
    void add(std::vector<fault_rule> rules);
    // The admin API's POST of rules: `json` (a rule or an array, all or nothing, see
    // parse_faults) added, and the table as describe() gives it with "added": how many; the
    // error says what is wrong, for the 400 answer.
    boost::system::result<boost::json::value, std::string> add_json(std::string_view json,
                                                                    std::string_view default_path);
    // Returns how many rules there were.
    std::size_t clear();

    // Counts the request against every rule it matches and returns what the hits do.
    fault_effects match(const fault_request& request);

    // {"faults":[{kind, count, after, always, path, ..., seen, triggered}, ...]}
    boost::json::value describe() const;

    std::uint64_t triggered_total() const { return triggered_total_; }

private:
    std::vector<fault_rule> rules_;
    std::uint64_t triggered_total_ = 0;
};

} // namespace streamscope::platform_mock

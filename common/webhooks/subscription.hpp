#pragma once
// What a webhook subscription is, where both binaries need it: the API checks a subscription
// when it is created (POST /webhooks) and the collector's delivery matches events against it.
// A subscription names its target's format, the event types it wants and filters with the
// live feed's meaning (api/events/event_filter.hpp): each list matches any of its items, the
// filters together must all match. Pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

namespace streamscope::webhooks {

enum class target_format { json, slack, discord, email };

// "json", "slack", "discord" or "email" (as a subscription names it); nullopt for others.
std::optional<target_format> parse_target_format(std::string_view name);
std::string_view to_string(target_format format);

// Whether `address` is one that the envelope and the headers can carry as it is: local@domain
// of printable ASCII without blanks, quotes, brackets, commas or semicolons, at most 254
// characters. (Quoted local parts and addresses in UTF-8 are not sent.)
bool is_mail_address(std::string_view address);

// The address of a "mailto:address" URL (format email), or nullopt when it is not one.
std::optional<std::string> mailto_address(std::string_view url);

// What matching looks at of an event: the events table's columns.
struct event_facts {
    std::string_view type;
    std::string_view platform; // "twitch"
    std::string_view channel;  // the stream's username, any case; "" for game events
    std::string_view game_id;
    std::string_view game_name; // any case
    std::optional<std::int64_t> viewers;
};

struct subscription_filter {
    std::vector<std::string> types;     // empty: every type
    std::vector<std::string> platforms; // empty: every platform
    std::vector<std::string> channels;  // lower case
    std::vector<std::string> games;     // ids, or names in any case
    std::int64_t min_viewers = 0;       // events of streams with at least this many; unknown: no

    bool matches(const event_facts& e) const;
};

// Why a subscription is refused: the field ("events", "filters.platform", ...) and what it
// must be.
struct subscription_problem {
    std::string field;
    std::string message;
};

// Reads the "events" list (an array of type names; absent or empty: every type) and the
// "filters" object ({"platform", "channel", "game"}: arrays of strings or comma lists,
// "min_viewers": an integer; absent: none). Unknown filters, unknown types and platforms,
// more than 100 items in a list are refused.
boost::system::result<subscription_filter, subscription_problem>
read_subscription(const boost::json::value* events, const boost::json::value* filters);

// The filters as stored and shown ({"platform": [...], "channel": [...], "game": [...],
// "min_viewers": n}, only those set), which read_subscription reads back to the same filter.
boost::json::object filters_json(const subscription_filter& f);

} // namespace streamscope::webhooks

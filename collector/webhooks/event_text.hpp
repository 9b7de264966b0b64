#pragma once
// What an event says in words, written once for every target format: a sentence that starts
// with whom or what it is about ("xQc is live on Twitch: <title> (Just Chatting), 45,210
// viewers"), where to watch, and the facts behind it (viewers, game, rank, ...). Every text is
// one line of valid UTF-8 with the parts people wrote (titles, names) cut to a size, so that a
// format only has to escape and arrange them.

#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace streamscope::webhooks {

struct fact {
    std::string name;  // "Viewers"
    std::string value; // "45,210"
};

struct event_text {
    std::string subject;   // the channel's display name, or the game's name: "xQc"
    std::string predicate; // the rest of the headline: " is live on Twitch"
    std::string detail;    // the rest of the sentence: ": <title> (Just Chatting), 45,210
                           // viewers", or ""
    std::string url;       // where to watch (an http or https URL), or ""
    std::string platform;  // "Twitch", "Kick", "YouTube", or ""
    std::vector<fact> facts;

    std::string headline() const { return subject + predicate; }
    std::string sentence() const { return subject + predicate + detail; }
};

// Titles are cut to this many characters (UTF-16 units), names of channels and games to
// longest_name: enough for every platform's own limit, and a bound on every payload.
inline constexpr std::size_t longest_title = 300;
inline constexpr std::size_t longest_name = 100;

// An outbox event ({"id", "type", "timestamp", "sweep_id", "platform", "data"}) in words. A
// field that is missing or of another type leaves its part out, and a type this version does
// not know still says "Twitch event <type>": never throws for what the event holds.
event_text describe(const boost::json::object& event);

} // namespace streamscope::webhooks

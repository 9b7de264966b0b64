#include <map>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "collector/events/derive.hpp"

using namespace streamscope;
using namespace streamscope::collector::events;
namespace json = boost::json;

namespace {

time::timestamp at_minute(int minute) {
    return time::timestamp(std::chrono::minutes(29'000'000 + minute));
}

model::stream_observation stream(const std::string& id, std::optional<std::int32_t> viewers,
                                 const std::string& game = "g1",
                                 const std::string& title = "a title") {
    model::stream_observation s;
    s.platform_stream_id = id;
    s.platform_user_id = "u" + id;
    s.login = "login" + id;
    s.display_name = "Name" + id;
    s.platform_game_id = game;
    s.game_name = game.empty() ? "" : "Game " + game;
    s.title = title;
    s.tags = {"tag"};
    s.viewer_count = viewers;
    s.started_at = at_minute(-60);
    s.language = "en";
    s.thumbnail_url = "https://thumbs/" + id + "-{width}x{height}.jpg";
    return s;
}

model::sweep sweep_at(int minute, std::vector<model::stream_observation> streams,
                      model::sweep_status status = model::sweep_status::complete) {
    model::sweep s;
    s.source = model::platform::twitch;
    s.started_at = at_minute(minute);
    s.finished_at = s.started_at;
    s.status = status;
    s.streams.assign(streams.begin(), streams.end());
    return s;
}

// The rules of these tests: small lists, two thresholds.
event_rules small_rules() {
    event_rules r;
    r.top_size = 2;
    r.top_per_game = 2;
    r.viewer_thresholds = {1'000, 10'000};
    return r;
}

// Derives the events of `next` after `view`, then advances the view as the store would.
std::vector<model::event> take(stream_view& view, const model::sweep& next,
                               const event_rules& rules = small_rules()) {
    derivation d = derive(view, next, rules);
    std::vector<model::event> events = d.events;
    advance(view, next, std::move(d.ranked));
    return events;
}

// "type id" per event, e.g. "stream.live 1", in order.
std::vector<std::string> summary(const std::vector<model::event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
        const json::value data = json::parse(e.data);
        out.push_back(e.type + " " +
                      std::string(data.at("stream").at("stream_url").as_string()).substr(22));
    }
    return out;
}

json::object data_of(const model::event& e) {
    return json::parse(e.data).as_object();
}

} // namespace

TEST_CASE("events: a platform's first sweep is a baseline", "[unit][events]") {
    stream_view view;
    CHECK(take(view, sweep_at(0, {stream("1", 10), stream("2", 20)})).empty());
    CHECK(view.sweep_at == at_minute(0));
    CHECK(view.open.size() == 2);
    CHECK(view.open.at("1").stream.tags.empty());
    REQUIRE(view.top_lists);
    CHECK(view.top_lists->top == ranking{"2", "1"});
}

TEST_CASE("events: live, ended and changed broadcasts, with what a client shows",
          "[unit][events]") {
    stream_view view;
    take(view, sweep_at(0, {stream("1", 10), stream("2", 20), stream("3", 30)}));
    auto next =
        sweep_at(5, {stream("2", 20, "g1", "a new title"), stream("3", 30, "g2"), stream("4", 40)});
    next.ended.push_back({"1", at_minute(3)});
    const auto events = take(view, next);
    CHECK(summary(events) == std::vector<std::string>{"stream.ended login1", "stream.live login4",
                                                      "stream.changed login2",
                                                      "stream.changed login3", "top.left login2",
                                                      "top.entered login4",
                                                      // game g1's list lost 3 to g2
                                                      "top.left login3", "top.entered login4"});

    const model::event& ended = events[0];
    CHECK(ended.channel == "login1");
    CHECK(ended.viewers == 10);
    const auto ended_data = data_of(ended);
    CHECK(ended_data.at("ended_at") == json::value(time::format_rfc3339(at_minute(3))));
    const auto& item = ended_data.at("stream").as_object();
    CHECK(item.at("collected_at") ==
          json::value(time::format_rfc3339(at_minute(0)))); // its last sighting
    CHECK(item.at("platform") == "twitch");
    CHECK(item.at("username") == "login1");
    CHECK(item.at("display_name") == "Name1");
    CHECK(item.at("channel_id") == "u1");
    CHECK(item.at("game_name") == "Game g1");
    CHECK(item.at("viewer_count") == 10);
    CHECK(item.at("thumbnail_url") == "https://thumbs/1-440x248.jpg");
    CHECK(item.at("stream_url") == "https://www.twitch.tv/login1");

    const auto live = data_of(events[1]);
    CHECK(live.at("stream").at("collected_at") == json::value(time::format_rfc3339(at_minute(5))));
    CHECK(live.at("stream").at("viewer_count") == 40);

    const auto title = data_of(events[2]);
    CHECK(title.at("changed") == json::array{"title"});
    CHECK(title.at("previous").at("title") == "a title");
    CHECK(title.at("stream").at("title") == "a new title");
    const auto game = data_of(events[3]);
    CHECK(game.at("changed") == json::array{"game"});
    CHECK(game.at("previous").at("game_id") == "g1");
    CHECK(game.at("previous").at("game_name") == "Game g1");
    CHECK(events[3].game_id == "g2");

    const auto entered = data_of(events[5]);
    CHECK(entered.at("rank") == 1);
    CHECK(entered.at("list").at("scope") == "platform");
    CHECK(entered.at("list").at("size") == 2);
    CHECK(entered.at("list").at("game_id").is_null());
    CHECK(data_of(events[4]).at("previous_rank") == 2);
    CHECK(view.open.count("1") == 0);
}

TEST_CASE("events: viewer thresholds crossed upwards, between known counts", "[unit][events]") {
    event_rules rules = small_rules();
    rules.top_size = 0;
    rules.top_per_game = 0;
    stream_view view;
    take(view,
         sweep_at(0, {stream("1", 999), stream("2", 500), stream("3", 1'000), stream("4", {}),
                      stream("5", 20'000), stream("6", 999)}),
         rules);
    const auto events =
        take(view,
             sweep_at(5, {stream("1", 1'000), stream("2", 12'000), stream("3", 5'000),
                          stream("4", 50'000), stream("5", 900), stream("6", {})}),
             rules);
    REQUIRE(summary(events) == std::vector<std::string>{"viewers.crossed login1",
                                                        "viewers.crossed login2",
                                                        "viewers.crossed login2"});
    CHECK(data_of(events[0]).at("threshold") == 1'000);
    CHECK(data_of(events[0]).at("previous_viewer_count") == 999);
    CHECK(data_of(events[1]).at("threshold") == 1'000);
    CHECK(data_of(events[2]).at("threshold") == 10'000);
    CHECK(events[2].viewers == 12'000);
}

TEST_CASE("events: top lists rank known counts, ties by stream id, and never reorder on a tie",
          "[unit][events]") {
    event_rules rules = small_rules();
    rules.top_size = 3;
    rules.top_per_game = 0;
    const auto ranked = rank(sweep_at(0, {stream("b", 50), stream("a", 50), stream("c", {}),
                                          stream("d", 10), stream("e", 5)})
                                 .streams,
                             rules);
    CHECK(ranked.top == ranking{"a", "b", "d"});

    stream_view view;
    take(view, sweep_at(0, {stream("b", 50), stream("a", 50), stream("d", 10), stream("e", 5)}),
         rules);
    // Equal counts again, in another order: the same list, no event.
    CHECK(take(view,
               sweep_at(5, {stream("a", 50), stream("b", 50), stream("e", 5), stream("d", 10)}),
               rules)
              .empty());
    // A hidden count leaves the list; the next one enters at the bottom.
    const auto events = take(
        view, sweep_at(10, {stream("a", 50), stream("b", {}), stream("e", 5), stream("d", 10)}),
        rules);
    CHECK(summary(events) == std::vector<std::string>{"top.left loginb", "top.entered logine"});
    CHECK(data_of(events[1]).at("rank") == 3);
}

TEST_CASE("events: each game's top list, for games big enough in both sweeps", "[unit][events]") {
    event_rules rules = small_rules();
    rules.top_size = 0;
    stream_view view;
    take(view,
         sweep_at(0, {stream("1", 30, "big"), stream("2", 20, "big"), stream("3", 10, "big"),
                      stream("4", 5, "small")}),
         rules);
    const auto events =
        take(view,
             sweep_at(5, {stream("1", 30, "big"), stream("2", 5, "big"), stream("3", 10, "big"),
                          stream("4", 5, "small"), stream("5", 50, "small")}),
             rules);
    // "small" had one stream a sweep ago: no list to enter.
    REQUIRE(summary(events) == std::vector<std::string>{"stream.live login5", "top.left login2",
                                                        "top.entered login3"});
    const auto list = data_of(events[2]).at("list");
    CHECK(list.at("scope") == "game");
    CHECK(list.at("game_id") == "big");
    CHECK(list.at("game_name") == "Game big");
    CHECK(list.at("size") == 2);
}

TEST_CASE("events: only the most watched games have lists", "[unit][events]") {
    event_rules rules = small_rules();
    rules.top_size = 0;
    rules.top_games = 1;
    const auto ranked =
        rank(sweep_at(0, {stream("1", 30, "big"), stream("2", 20, "big"), stream("3", 5, "small"),
                          stream("4", 5, "small"), stream("5", 100, "solo")})
                 .streams,
             rules);
    // "solo" has the most viewers but one stream: too small for a list of two.
    REQUIRE(ranked.per_game.size() == 1);
    CHECK(ranked.per_game.at("big") == ranking{"1", "2"});
}

TEST_CASE("events: partial sweeps move no list; a failed sweep is skipped over", "[unit][events]") {
    event_rules rules = small_rules();
    rules.top_per_game = 0;
    stream_view view;
    take(view, sweep_at(0, {stream("1", 10), stream("2", 20), stream("3", 30)}), rules);
    // A partial sweep missed stream 3: nobody left the top, and 1 and 2 keep their state.
    auto partial = sweep_at(5, {stream("1", 1'500), stream("2", 20), stream("4", 25)},
                            model::sweep_status::partial);
    CHECK(summary(take(view, partial, rules)) ==
          std::vector<std::string>{"stream.live login4", "viewers.crossed login1"});
    REQUIRE(view.top_lists);
    CHECK(view.top_lists->top == ranking{"3", "2"}); // the last complete sweep's

    CHECK(take(view, sweep_at(10, {}, model::sweep_status::failed), rules).empty());
    CHECK(view.sweep_at == at_minute(10));
    CHECK(view.open.size() == 4);

    // The next complete sweep compares with what was seen before the failure.
    const auto events =
        take(view,
             sweep_at(15, {stream("1", 1'500), stream("2", 20), stream("3", 30), stream("4", 25)}));
    CHECK(summary(events) == std::vector<std::string>{"top.left login2", "top.entered login1"});
}

TEST_CASE("events: a hidden count is null in the item and never crosses", "[unit][events]") {
    stream_view view;
    take(view, sweep_at(0, {stream("1", 10)}));
    const auto events = take(view, sweep_at(5, {stream("1", {}), stream("2", {})}));
    REQUIRE(summary(events) == std::vector<std::string>{"stream.live login2", "top.left login1"});
    CHECK(data_of(events[0]).at("stream").at("viewer_count").is_null());
    CHECK_FALSE(events[0].viewers);
}

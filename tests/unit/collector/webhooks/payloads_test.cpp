#include <string>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "collector/webhooks/payloads.hpp"
#include "common/text/utf8.hpp"
#include "tests/unit/collector/webhooks/sample_events.hpp"

using namespace streamscope::webhooks;
using namespace streamscope::testing;
namespace json = boost::json;
using streamscope::text::is_storable_text;
using streamscope::text::utf16_length;

namespace {

json::object parsed(const http_payload& p) {
    REQUIRE(p.content_type == "application/json");
    REQUIRE(is_storable_text(p.body));
    return json::parse(p.body).as_object();
}

json::object with_title(const std::string& title, const std::string& name = "xQc") {
    auto s = stream_item();
    s["title"] = title;
    s["display_name"] = name;
    return stream_event("stream.live", s);
}

const std::string nasty_title =
    "<!everyone> @here & <https://evil.example|click> \"quoted\"\r\nnext line 🎮 "
    "\xEF\xBF\xBD *bold* `code`";

} // namespace

TEST_CASE("target formats by name", "[unit][webhooks]") {
    for (const auto f : {target_format::json, target_format::slack, target_format::discord,
                         target_format::email}) {
        CHECK(parse_target_format(to_string(f)) == f);
    }
    CHECK_FALSE(parse_target_format("JSON"));
    CHECK_FALSE(parse_target_format("teams"));
}

TEST_CASE("the json format is the event itself, compact, numbers plain", "[unit][webhooks]") {
    auto event =
        event_of("game.trending", json::parse(R"({"game": {"game_id": "1", "game_name": "Chess"},
                                          "viewers": 45210, "previous_viewers": 25116,
                                          "growth": 1.8})")
                                      .as_object());
    const http_payload p = json_payload(event);
    CHECK(p.content_type == "application/json");
    CHECK(p.body == R"({"id":123,"type":"game.trending","timestamp":"2026-12-07T23:00:00Z",)"
                    R"("sweep_id":456,"platform":"twitch","data":{"game":{"game_id":"1",)"
                    R"("game_name":"Chess"},"viewers":45210,"previous_viewers":25116,)"
                    R"("growth":1.8}})");
    CHECK(json::parse(json_payload(with_title(nasty_title)).body) == with_title(nasty_title));
}

TEST_CASE("slack: a readable line with a link, escaped", "[unit][webhooks]") {
    const auto body = parsed(slack_payload(stream_event("stream.live")));
    const std::string text(body.at("text").as_string());
    CHECK(text == "<https://www.twitch.tv/xqc|xQc> is live on Twitch: REACT ANDY (Just Chatting), "
                  "45,210 viewers");
    const auto& blocks = body.at("blocks").as_array();
    REQUIRE(blocks.size() == 2);
    CHECK(blocks[0].at("type") == "section");
    CHECK(blocks[0].at("text").at("type") == "mrkdwn");
    CHECK(blocks[0].at("text").at("text").as_string() == text);
    CHECK(blocks[1].at("type") == "context");
    CHECK(blocks[1].at("elements").at(0).at("text") ==
          "Twitch \xC2\xB7 stream.live \xC2\xB7 2026-12-07 23:00 UTC");

    const auto nasty = parsed(slack_payload(with_title(nasty_title, "a|b<c>&d")));
    const std::string line(nasty.at("text").as_string());
    CHECK(line == "<https://www.twitch.tv/xqc|a|b&lt;c&gt;&amp;d> is live on Twitch: "
                  "&lt;!everyone&gt; @here &amp; &lt;https://evil.example|click&gt; \"quoted\"  "
                  "next line 🎮 \xEF\xBF\xBD *bold* `code` (Just Chatting), 45,210 viewers");
    // Nothing from the title opens a Slack control sequence: the only '<' is the link's.
    CHECK(line.find('<', 1) == std::string::npos);
    CHECK(line.find('\n') == std::string::npos);

    // A URL with the characters Slack's link syntax uses.
    auto odd_url = stream_item();
    odd_url["stream_url"] = "https://example.com/a?b=1&c=2|3>";
    const auto linked = parsed(slack_payload(stream_event("stream.live", odd_url)));
    CHECK(std::string(linked.at("text").as_string())
              .starts_with("<https://example.com/a?b=1&amp;c=2%7C3&gt;|xQc>"));
    // No link where there is nothing to watch.
    auto trending =
        event_of("game.trending",
                 json::parse(R"({"game": {"game_name": "A & B"}, "viewers": 5})").as_object());
    CHECK(parsed(slack_payload(trending)).at("text") ==
          "A &amp; B is trending on Twitch: 5 viewers");
}

TEST_CASE("slack: within a section's 3,000 characters, never cutting an entity",
          "[unit][webhooks]") {
    // The longest sentence: a top list of a game, every name and title at its longest and all
    // of characters that Slack's escaping makes five times as long, behind a long link.
    int cut = 0;
    for (int shift = 0; shift < 5; ++shift) {
        for (const std::string& title : {std::string(shift, 'x') + std::string(10'000, '&'),
                                         std::string(shift, 'x') + std::string(10'000, '<'), [&] {
                                             std::string emoji(static_cast<std::size_t>(shift),
                                                               'x');
                                             for (int i = 0; i < 3000; ++i) {
                                                 emoji += "🎮&";
                                             }
                                             return emoji;
                                         }()}) {
            auto s = stream_item();
            s["title"] = title;
            s["display_name"] = std::string(300, '&');
            s["game_name"] = std::string(300, '>');
            s["stream_url"] = "https://www.twitch.tv/?" + std::string(94, '&');
            auto event = stream_event("top.entered", s);
            event["data"].as_object()["list"] =
                json::object{{"scope", "game"}, {"game_name", std::string(300, '&')}, {"size", 10}};
            event["data"].as_object()["rank"] = 3;
            const auto body = parsed(slack_payload(event));
            const std::string text(body.at("text").as_string());
            INFO(shift << " " << title.substr(0, 12));
            CHECK(text.starts_with("<https://www.twitch.tv/?&amp;&amp;"));
            CHECK(utf16_length(text) <= 3000);
            cut += text.ends_with("\xE2\x80\xA6") ? 1 : 0;
            CHECK(body.at("blocks").at(0).at("text").at("text").as_string() == text);
            // Every '&' starts a whole entity.
            int broken = 0;
            for (auto at = text.find('&'); at != std::string::npos; at = text.find('&', at + 1)) {
                const std::string_view rest = std::string_view(text).substr(at);
                broken += rest.starts_with("&amp;") || rest.starts_with("&lt;") ||
                                  rest.starts_with("&gt;")
                              ? 0
                              : 1;
            }
            CHECK(broken == 0);
        }
    }
    CHECK(cut == 10); // the titles of '&' and '<' were too long, and cut; emoji escape to less
}

TEST_CASE("discord: an embed within Discord's limits that pings no one", "[unit][webhooks]") {
    const auto body = parsed(discord_payload(stream_event("stream.live")));
    CHECK(body.at("allowed_mentions") == json::parse(R"({"parse": []})"));
    CHECK_FALSE(body.contains("content"));
    const auto& embed = body.at("embeds").at(0).as_object();
    CHECK(embed.at("title") == "xQc is live on Twitch");
    CHECK(embed.at("url") == "https://www.twitch.tv/xqc");
    CHECK(embed.at("description") ==
          "xQc is live on Twitch: REACT ANDY (Just Chatting), 45,210 viewers");
    CHECK(embed.at("timestamp") == "2026-12-07T23:00:00Z");
    CHECK(embed.at("footer").at("text") == "Streamscope \xC2\xB7 stream.live");
    const auto& fields = embed.at("fields").as_array();
    REQUIRE(fields.size() == 4);
    CHECK(fields[0] == json::parse(R"({"name": "Title", "value": "REACT ANDY", "inline": true})"));
    CHECK(fields[2] == json::parse(R"({"name": "Viewers", "value": "45,210", "inline": true})"));

    const auto nasty = parsed(discord_payload(with_title("@everyone " + nasty_title)));
    CHECK(nasty.at("allowed_mentions").at("parse").as_array().empty());
    const std::string description(nasty.at("embeds").at(0).at("description").as_string());
    CHECK(description.find("@everyone <!everyone> @here & <https://evil.example|click> "
                           "\"quoted\"  next line 🎮") != std::string::npos);

    // Long texts: every part within its limit, the whole within 6,000.
    auto s = stream_item();
    s["title"] = std::string(10'000, 'T');
    s["display_name"] = std::string(10'000, 'N');
    s["game_name"] = std::string(10'000, 'G');
    auto changed = stream_event("stream.changed", s);
    changed["data"].as_object()["previous"] = json::parse(
        R"({"title": ")" + std::string(5000, 'p') + R"(", "game_id": "1", "game_name": "Chess"})");
    const auto big = parsed(discord_payload(changed));
    const auto& e = big.at("embeds").at(0).as_object();
    const auto units = [](const json::value& v) { return utf16_length(v.as_string()); };
    CHECK(units(e.at("title")) <= 256);
    CHECK(units(e.at("description")) <= 4096);
    std::size_t total =
        units(e.at("title")) + units(e.at("description")) + units(e.at("footer").at("text"));
    for (const auto& f : e.at("fields").as_array()) {
        CHECK(units(f.at("name")) <= 256);
        CHECK(units(f.at("value")) <= 1024);
        total += units(f.at("name")) + units(f.at("value"));
    }
    CHECK(e.at("fields").as_array().size() <= 25);
    CHECK(total <= 6000);
    CHECK(e.at("fields").as_array().size() >= 4); // long values take rows of their own
    CHECK(e.at("fields").at(0).at("inline") == false);
}

TEST_CASE("email: one subject line and a plain text", "[unit][webhooks]") {
    auto event = stream_event("stream.live");
    const email_content mail = email_payload(event);
    CHECK(mail.subject == "xQc is live on Twitch");
    CHECK(mail.text == "xQc is live on Twitch: REACT ANDY (Just Chatting), 45,210 viewers\n"
                       "\n"
                       "Watch: https://www.twitch.tv/xqc\n"
                       "\n"
                       "Title: REACT ANDY\n"
                       "Game: Just Chatting\n"
                       "Viewers: 45,210\n"
                       "Started: 2026-12-07 17:48 UTC\n"
                       "\n"
                       "-- \n"
                       "Twitch \xC2\xB7 stream.live \xC2\xB7 2026-12-07 23:00 UTC \xC2\xB7 "
                       "event 123\n");

    const email_content nasty =
        email_payload(with_title(nasty_title, "Evil\r\nBcc: victim@example.com"));
    CHECK(nasty.subject == "Evil  Bcc: victim@example.com is live on Twitch");
    CHECK(nasty.subject.find_first_of("\r\n") == std::string::npos);
    CHECK(is_storable_text(nasty.text));
    CHECK(nasty.text.find('\r') == std::string::npos);
    // Each fact on its own line: a title cannot add one.
    CHECK(nasty.text.find("\nnext line") == std::string::npos);

    const email_content huge =
        email_payload(with_title(std::string(10'000, 'x'), std::string(300, 'n')));
    CHECK(utf16_length(huge.subject) <= 200);
    CHECK(huge.text.size() < 2000);
}

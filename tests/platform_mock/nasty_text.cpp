#include "tests/platform_mock/nasty_text.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace streamscope::platform_mock::text {
namespace {

// Ordinary titles, the bulk of what Twitch carries.
constexpr std::string_view plain[] = {
    "ranked grind",
    "day 42 of learning C++",
    "chill vibes only",
    "!discord !socials",
    "first playthrough (blind)",
    "any% speedrun attempts",
    "road to diamond",
    "morning coffee stream",
    "100% completion",
    "co-op with friends",
    "variety night",
    "giveaway at 1k followers",
    "NEW UPDATE!",
    "lofi beats to code to",
    "SUBATHON DAY 3",
    "hardcore mode, no deaths",
    "just chatting & reacting",
    "Drops enabled",
    "late night ranked",
    "tournament qualifiers",
    "painting a dragon",
    "building a PC live",
    "cozy farming sim",
    "horror game at 3am",
    "learning guitar",
    "retro weekend",
    "Q&A with chat",
    "the grind never stops",
    "50/50 chance",
    "#1 in the world?",
    "trying viewer builds",
    "back from vacation",
};

// The content collectors get wrong. Each entry is valid UTF-8 without NUL.
constexpr std::string_view nasty[] = {
    // Emoji: plain, ZWJ sequences, skin tones, flags, variation selectors.
    "\U0001F525\U0001F525\U0001F525",
    "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466 family stream",
    "\U0001F44D\U0001F3FD thumbs",
    "\U0001F3F3\uFE0F\u200D\U0001F308 pride month",
    "\U0001F9D1\U0001F3FF\u200D\U0001F4BB coding",
    "\u2764\uFE0F love you chat",
    "\U0001F1EF\U0001F1F5 vs \U0001F1F0\U0001F1F7",
    "\U0001F534 LIVE \U0001F534",
    "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F scotland",
    // CJK, Korean, Japanese, fullwidth.
    "日本語の配信です",
    "中文直播 玩游戏",
    "한국어 방송 ㅋㅋㅋ",
    "【雑談】まったり",
    "ＦＵＬＬＷＩＤＴＨ　ｔｅｘｔ",
    // RTL scripts, mixed direction and explicit overrides.
    "بث مباشر",
    "שידור חי עכשיו",
    "LIVE بث مباشر now",
    "\u202Egnirts desrever\u202C",
    "\u200Fright-to-left mark\u200E",
    // Combining marks, decomposed letters, Zalgo stacks.
    "Poke\u0301mon cafe\u0301 nai\u0308ve",
    "n\u0303 a\u030A o\u0308",
    "Z\u0351\u0300\u0316a\u0336\u0316\u0317l\u0337\u0317\u0325g\u0338\u031B\u0326o\u0334\u0327"
    "\u0361",
    "H\u0336\u0337\u0338\u0335\u0334\u0321\u0322\u0327\u0328\u0316\u0317\u0318\u0319E\u0300\u0301"
    "\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309 COMES",
    // Zero-width and invisible characters.
    "zero\u200Bwidth\u200Bspace",
    "\uFEFFbyte order mark",
    "a\u200Cb\u200Dc\u2060d",
    "invisible\u2063separator",
    // Quotes, backslashes, tabs and other characters JSON must escape.
    "\"quoted\" title",
    "it's 'single' quoted",
    "C:\\Users\\streamer\\desktop",
    "back\\slash \\n is not a newline",
    "tab\tseparated\tvalues",
    "\033[31mANSI red\033[0m",
    "bell\a and form\ffeed",
    "line\u2028separator and\u2029paragraph",
    "\\u0000 is text, not NUL",
    // Astral-plane characters outside emoji.
    "\U0001D571\U0001D586\U0001D593\U0001D588\U0001D59E text",
    "\U0001D4C8\U0001D4B8\U0001D4C7\U0001D4BE\U0001D4C5\U0001D4C9",
    "\U0001F004 mahjong \U00010348 gothic",
    "\U00020BB7野家 (astral CJK)",
    // Things that look like injections.
    "'; DROP TABLE streams;--",
    "Robert'); DROP TABLE students;--",
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3 @HYPERLINK(\"http://x\")",
    "<script>alert(1)</script>",
    "<b>bold</b> &amp; &lt;tag&gt;",
    "${jndi:ldap://example.invalid/a}",
    "{{7*7}} %s%s%n %00",
    "1,\"2\",3\r\n4,5,6",
    "NULL",
    "null",
    "undefined",
    "\\N",
    "-- comment */ /* ",
    // Unusual but valid code points.
    "\uFFFD replacement char",
    "\u00A0non-breaking\u00A0spaces\u00A0",
    "soft\u00ADhyphen",
    "\u0085next line",
    "mathematical \u2212 minus \u2217",
    "emoji modifier alone \U0001F3FB",
    "ends with ZWJ \U0001F468\u200D",
};

// Titles many streams share, so that equal titles do not mean the same stream.
constexpr std::string_view shared_titles[] = {
    "Just Chatting",      "\U0001F534 LIVE", "!drops",     "test",
    "Untitled Broadcast", "ranked",          "\U0001F525", "日本語",
};

constexpr std::string_view separators[] = {" ", " | ", " - ", " // ", " ", " \u2022 "};

constexpr std::string_view syllables[] = {
    "ka", "zu",  "mi",  "ro",  "the", "dark", "pro", "gamer", "lil", "xx",  "neo", "tv",
    "yo", "shi", "ban", "vex", "qu",  "ill",  "ace", "moon",  "sky", "fox", "bit", "ttv",
};

constexpr std::string_view foreign_names[] = {
    "小明直播",       "김철수",     "ゆっくり実況",   "Стример",      "محمد_gaming", "דניאל",
    "José",           "Jose\u0301", "Ærøskøbing",     "Ωmega",        "Ñandú",       "Zoë",
    "Łukasz",         "Ğökhan",     "สตรีมเมอร์",       "Nguyễn",       "ঢাকা",        "ＳＴＲＥＡＭ",
    "日本のゲーマー", "배그장인",   "Señor_Streamer", "Björk_Gaming", "François",    "Müller",
};

constexpr std::string_view nasty_names[] = {
    "\U0001F468\u200D\U0001F4BBDev",
    "Cat\U0001F408\u200D\u2B1B",
    "zero\u200Bwidth",
    "Z\u0351\u0300a\u0336l\u0337g\u0338o\u0334",
    "\u202Eesrever",
    "\U0001D571\U0001D586\U0001D593",
    "O'Brien",
    "\"quoted\"",
    "back\\slash",
    " padded ",
    "<b>bold</b>",
    "=1+1",
};

constexpr std::string_view known_games[] = {
    "Just Chatting",
    "League of Legends",
    "Grand Theft Auto V",
    "Counter-Strike",
    "VALORANT",
    "Fortnite",
    "Minecraft",
    "Dota 2",
    "World of Warcraft",
    "Pokémon Scarlet and Violet", // precomposed é
    "Poke\u0301mon Legends",      // decomposed e + combining acute
    "Tom Clancy's Rainbow Six Siege",
    "Baldur's Gate 3",
    "Talk Shows & Podcasts",
    "Art",
    "Music",
    "Slots",
    "Special Events",
    "原神",
    "ファイナルファンタジーXIV",
    "리그 오브 레전드",
    "ＡＳＭＲ",
    "\"Quoted\" Game",
    "<Untitled>",
    "Ｄ＆Ｄ",
    "Back\\Slash Simulator",
    "=HYPERLINK(\"x\")",
    "\U0001F3AE Retro \U0001F47E",
};

constexpr std::string_view game_words[] = {
    "Stellar", "Odyssey", "Dungeon", "Legends", "Racing", "Tactics", "Kingdom", "Shadow",
    "Farm",    "Quest",   "Arena",   "Souls",   "Cyber",  "Island",  "Empire",  "Drift",
};

constexpr std::string_view tag_list[] = {
    "English",     "Deutsch",  "Español",     "日本語",   "한국어",      "Português",
    "Français",    "Русский",  "LGBTQIAPlus", "Chill",    "Vtuber",      "NoBackseating",
    "Competitive", "Speedrun", "Cozy",        "PCGaming", "Educational", "FirstPlaythrough",
    "Ranked",      "Esports",  "Coworking",   "ASMR",     "Music",       "Art",
    "DropsOn",     "Chatting", "Horror",      "Retro",    "Community",   "Blind",
    "Hardcore",    "Casual",   "Funny",       "Mature",   "Streamer",    "Gameplay",
    "ゲーム",      "中文",     "Türkçe",      "العربية",
};

bool is_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::string_view fragment(rng& r, double nasty_share) {
    return r.chance(nasty_share) ? r.pick(nasty) : r.pick(plain);
}

} // namespace

std::string_view nasty_fragment(rng& r) {
    return r.pick(nasty);
}

std::size_t code_points(std::string_view utf8) {
    std::size_t n = 0;
    for (char c : utf8) {
        n += is_continuation(c) ? 0 : 1;
    }
    return n;
}

std::string_view truncate_code_points(std::string_view s, std::size_t limit) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (!is_continuation(s[i]) && seen++ == limit) {
            return s.substr(0, i);
        }
    }
    return s;
}

std::string login(rng& r) {
    std::string out;
    const auto parts = 1 + r.below(3);
    for (std::uint64_t i = 0; i < parts; ++i) {
        if (i > 0 && r.chance(0.3)) {
            out += '_';
        }
        out += r.pick(syllables);
    }
    if (r.chance(0.5)) {
        out += std::to_string(r.below(10000));
    }
    while (out.size() < 4) {
        out += static_cast<char>('a' + r.below(26));
    }
    return out.substr(0, 25);
}

std::string display_name(rng& r, std::string_view login) {
    const double roll = r.unit();
    if (roll < 0.10) {
        return std::string(r.pick(foreign_names));
    }
    if (roll < 0.14) {
        return std::string(r.pick(nasty_names));
    }
    std::string out(login);
    if (roll < 0.50) {
        out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    } else if (roll < 0.65) {
        for (char& c : out) {
            if (r.chance(0.4)) {
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            }
        }
    }
    return out;
}

std::string title(rng& r) {
    const double roll = r.unit();
    if (roll < 0.04) {
        return "";
    }
    if (roll < 0.10) {
        return std::string(r.pick(shared_titles));
    }
    std::string out;
    const auto parts = 1 + r.below(3);
    for (std::uint64_t i = 0; i < parts; ++i) {
        if (i > 0) {
            out += r.pick(separators);
        }
        out += fragment(r, 0.35);
    }
    if (r.chance(0.05)) {
        // Exactly at Twitch's limit, which is counted in code points, not bytes.
        while (code_points(out) < 140) {
            out += r.pick(separators);
            out += fragment(r, 0.5);
        }
    }
    if (r.chance(0.03)) {
        out = "  " + out + " ";
    }
    return std::string(truncate_code_points(out, 140));
}

std::string description(rng& r) {
    if (r.chance(0.3)) {
        return "";
    }
    std::string out;
    const auto lines = 1 + r.below(3);
    for (std::uint64_t i = 0; i < lines; ++i) {
        if (i > 0) {
            out += r.chance(0.5) ? "\n" : "\r\n";
        }
        out += fragment(r, 0.4);
        if (r.chance(0.5)) {
            out += ' ';
            out += fragment(r, 0.4);
        }
    }
    return std::string(truncate_code_points(out, 300));
}

std::string game_name(rng& r, std::uint32_t index) {
    if (index < std::size(known_games)) {
        return std::string(known_games[index]);
    }
    // The index keeps generated names unique, as Get Games by name needs.
    std::string out = std::string(r.pick(game_words)) + " " + std::string(r.pick(game_words)) +
                      " " + std::to_string(index);
    if (r.chance(0.15)) {
        out += ": ";
        out += r.pick(nasty);
    }
    return out;
}

std::span<const std::string_view> tag_pool() {
    return tag_list;
}

std::vector<std::uint16_t> tags(rng& r) {
    std::vector<std::uint16_t> out;
    if (r.chance(0.1)) {
        return out;
    }
    const auto count = 1 + r.below(6);
    for (std::uint64_t i = 0; i < count; ++i) {
        const auto tag = static_cast<std::uint16_t>(r.below(std::size(tag_list)));
        if (std::find(out.begin(), out.end(), tag) == out.end()) {
            out.push_back(tag);
        }
    }
    return out;
}

} // namespace streamscope::platform_mock::text

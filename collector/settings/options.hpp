#pragma once
// The collector's own options (the shared ones are in common/config/service_settings.hpp): the
// table that --help prints and the settings loader reads, each default written here only.

#include <array>

#include "common/config/settings.hpp"

namespace streamscope::collector {

inline constexpr std::array collector_options{
    config::option{"ONCE", "",
                   "run one sweep, store it and exit (0: complete, 1: partial or failed)", true},
    config::option{"FROM", "", "rollup: the first UTC day to rebuild (YYYY-MM-DD)"},
    config::option{"TO", "", "rollup: the day after the last one to rebuild (default: tomorrow)"},
    config::option{"FILE", "", "youtube add: a file of channels, one per line"},
    config::option{"PLATFORMS", "",
                   "comma list of platforms to sweep (twitch, kick, youtube); empty: every "
                   "platform whose credentials are set"},
    config::option{"COLLECTION_INTERVAL_MINUTES", "5",
                   "minutes between sweeps (decimals allowed); sweeps start on multiples of it"},
    config::option{"SPOOL_DIR", "spool",
                   "folder that keeps sweeps while the database is unreachable"},
    config::option{"SPOOL_MAX_MB", "2048",
                   "the spool's size limit; a full spool drops new "
                   "sweeps with an error line"},
    config::option{"COLLECTOR_HEALTH_ADDRESS", "0.0.0.0", "address of /health and /metrics"},
    config::option{"RAW_RETENTION_DAYS", "30",
                   "days of raw snapshots to keep (whole daily partitions are dropped); 0: all"},
    config::option{"ROLLUP_RETENTION_DAYS", "0",
                   "days of rollups (hourly, daily, broadcasts) to keep; 0: all"},
    config::option{"EVENTS_RETENTION_HOURS", "24",
                   "hours of events (the live feed's and webhooks') to keep: how far back a "
                   "feed can resume (1 to 720)"},
    config::option{"EVENTS_TOP_SIZE", "100",
                   "top.entered/top.left: the size of each platform's top list (0: none)"},
    config::option{"EVENTS_TOP_PER_GAME", "10",
                   "top.entered/top.left: the size of each big game's top list (0: none)"},
    config::option{"EVENTS_TOP_GAMES", "50",
                   "top.entered/top.left: the games with a list, the most watched (0: none)"},
    config::option{"EVENTS_VIEWER_THRESHOLDS", "1000,10000,100000",
                   "viewers.crossed: the counts whose crossing is an event (comma list)"},
    config::option{"COLLECTOR_HEALTH_PORT", "8081",
                   "port of /health and /metrics (and of the healthcheck command)"},
    config::option{"TWITCH_CLIENT_ID", "", "client id of your Twitch application (required)"},
    config::option{"TWITCH_CLIENT_SECRET", "",
                   "client secret of your Twitch application (required; never logged)"},
    config::option{"TWITCH_API_BASE_URL", "https://api.twitch.tv/helix", "Helix base URL"},
    config::option{"TWITCH_AUTH_BASE_URL", "https://id.twitch.tv/oauth2", "OAuth base URL"},
    config::option{"TWITCH_CA_FILE", "",
                   "PEM file of an extra CA to trust besides the system store (test servers)"},
    config::option{"MAX_STREAMS_PER_COLLECTION", "0",
                   "stop paging after this many streams (the most watched); 0: all"},
    config::option{"TWITCH_LANGUAGES", "",
                   "comma list of languages to sweep (e.g. en,de); "
                   "empty: all"},
    config::option{"TWITCH_GAME_IDS", "", "comma list of game ids to sweep; empty: all"},
    config::option{"CHANNEL_REFRESH_HOURS", "24",
                   "refresh a channel's profile (Get Users) when it is older than this"},
    config::option{"KICK_CLIENT_ID", "", "client id of your Kick app (to sweep Kick)"},
    config::option{"KICK_CLIENT_SECRET", "", "client secret of your Kick app (never logged)"},
    config::option{"KICK_API_BASE_URL", "https://api.kick.com", "Kick's public API base URL"},
    config::option{"KICK_AUTH_BASE_URL", "https://id.kick.com", "Kick's OAuth base URL"},
    config::option{"KICK_CA_FILE", "",
                   "PEM file of an extra CA to trust for Kick besides the system store (test "
                   "servers)"},
    config::option{"KICK_COLLECTION_INTERVAL_MINUTES", "",
                   "minutes between Kick sweeps; empty: COLLECTION_INTERVAL_MINUTES"},
    config::option{"KICK_REQUESTS_PER_MINUTE", "60",
                   "the pace Kick requests start at; it adapts to Kick's unpublished limit "
                   "(up on clean answers, down on 429)"},
    config::option{"YOUTUBE_API_KEY", "",
                   "API key of a Google Cloud project with the YouTube Data API v3 (to collect "
                   "YouTube's watchlist; never logged)"},
    config::option{"YOUTUBE_API_BASE_URL", "https://www.googleapis.com/youtube/v3",
                   "YouTube Data API base URL"},
    config::option{"YOUTUBE_FEED_BASE_URL", "https://www.youtube.com/feeds",
                   "base URL of YouTube's channel feeds (videos.xml)"},
    config::option{"YOUTUBE_CA_FILE", "",
                   "PEM file of an extra CA to trust for YouTube besides the system store (test "
                   "servers)"},
    config::option{"YOUTUBE_CHANNELS", "",
                   "comma list of channels (ids, @handles or URLs) always on the watchlist; "
                   "`streamscope-collector youtube add` adds more"},
    config::option{"YOUTUBE_COLLECTION_INTERVAL_MINUTES", "",
                   "minutes between YouTube sweeps (lengthened when the day's quota would not "
                   "last); empty: COLLECTION_INTERVAL_MINUTES"},
    config::option{"YOUTUBE_DAILY_QUOTA", "10000",
                   "Data API units a day (Pacific time) this collector may spend, shared with "
                   "every collector on the database"},
    config::option{"YOUTUBE_SEARCH_DAILY_CALLS", "100",
                   "search.list calls a day (a bucket of their own), spread over the day by "
                   "discovery"},
    config::option{"YOUTUBE_DISCOVERY_QUERIES", "",
                   "comma list of searches for live videos whose channels join the watchlist "
                   "(discovery); empty: none"},
    config::option{"YOUTUBE_DISCOVERY_MIN_VIEWERS", "100",
                   "discovery adds a channel when its live video has at least this many "
                   "viewers"},
    config::option{"YOUTUBE_FEED_REQUESTS_PER_SECOND", "2",
                   "pace of the channel feed requests (no quota; a 429 slows them further)"},
    config::option{"YOUTUBE_WEBSUB_CALLBACK_URL", "",
                   "public URL at which YouTube's WebSub hub reaches this collector's health "
                   "port (through a reverse proxy) to push new videos; empty: no WebSub, feeds "
                   "only"},
    config::option{"YOUTUBE_WEBSUB_HUB_URL", "https://pubsubhubbub.appspot.com/subscribe",
                   "WebSub hub to subscribe at"},
    config::option{"YOUTUBE_WEBSUB_SECRET", "",
                   "secret the hub signs its pushes with (X-Hub-Signature); unsigned pushes are "
                   "then refused (never logged)"},
    config::option{"HTTP_TIMEOUT_SECONDS", "15",
                   "deadline for one HTTP exchange with a platform (connecting: a third of it)"},
    config::option{"HTTP_MAX_RETRIES", "5",
                   "retries of a failed platform request (5xx, timeout, reset, bad body)"},
    config::option{"WEBHOOK_CONCURRENCY", "16",
                   "webhook and e-mail deliveries in flight at once (one per subscription)"},
    config::option{"WEBHOOK_TIMEOUT_SECONDS", "10",
                   "deadline of one delivery attempt, connecting included"},
    config::option{"WEBHOOK_ALLOW_PRIVATE_TARGETS", "false",
                   "true: deliver to loopback, private and link-local addresses and over plain "
                   "http too (tests, a closed network); set the API's alike"},
    config::option{"WEBHOOK_CA_FILE", "",
                   "PEM file of an extra CA to trust for webhook targets besides the system "
                   "store (test receivers)"},
    config::option{"WEBHOOK_RETRY_SCALE", "1",
                   "tests only: multiplies the retry schedule and its 24 h window (0.0001 to "
                   "1)"},
    config::option{
        "SMTP_URL", "",
        "the relay of e-mail notifications: smtp://[user:password@]host[:port] "
        "(STARTTLS) or smtps://...; empty: e-mail deliveries fail and are retried (never "
        "logged)"},
    config::option{"SMTP_CA_FILE", "",
                   "PEM file of an extra CA to trust for the SMTP relay besides the system store"},
    config::option{"SMTP_FROM", "",
                   "the From address of e-mail notifications (required with SMTP_URL)"},
    config::option{"API_DATABASE_PASSWORD", "",
                   "migrate: also create the API's database role streamscope_api with this "
                   "password, or set it (never logged); empty: leave that role alone"},
};

} // namespace streamscope::collector

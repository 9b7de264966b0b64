// GET /openapi.json (OpenAPI 3.1) and GET /docs (a page that renders it, with nothing fetched
// from another host). The document is written by hand, next to the routes; a unit test checks
// that it lists exactly the routes the router serves.

#include <array>

#include "api/handlers/handlers.hpp"
#include "api/params/platform.hpp"
#include "common/http/response.hpp"
#include "common/json/text.hpp"

namespace streamscope::api {
namespace {

constexpr std::string_view document = R"json({
  "openapi": "3.1.0",
  "info": {
    "title": "Streamscope API",
    "version": "0.1.0",
    "description": "Live-streaming analytics from your own Streamscope database. Lists answer {\"data\": [...], \"next_cursor\": ..., \"meta\": {...}}; every error answers {\"error\": {\"status\", \"code\", \"message\", \"parameter\"}}. With AUTH_MODE=keys every route but /health, /openapi.json and /docs needs an API key (401 unauthorized without a valid one, 403 forbidden when its scope does not cover the route: read for reading, export for /export, admin for /metrics and /admin); with open-read only export, /metrics and /admin do; with off (the default) none. Where keys are on, each key (and each address without one) has a rate: answers carry RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset, and past the rate come as 429 rate_limited with Retry-After. Platforms: twitch and kick are swept whole (every live stream), youtube follows a watchlist of channels. A viewer count that the channel's owner hides (YouTube) is unknown: null in JSON, an empty CSV field, never 0; lists by viewers put it last, averages, peaks and sums skip it."
  },
  "security": [{"bearer": []}, {"apiKey": []}, {}],
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer ssk_..."},
      "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    },
    "parameters": {
      "platform": {"name": "platform", "in": "query", "schema": {"type": "string", "enum": {platform_names}}},
      "game": {"name": "game", "in": "query", "description": "a game id, or a game name (case-insensitive)", "schema": {"type": "string"}},
      "language": {"name": "language", "in": "query", "description": "ISO 639-1 code in lowercase, or other", "schema": {"type": "string", "pattern": "^([a-z]{2}|other)$"}},
      "format": {"name": "format", "in": "query", "description": "csv: the data as RFC 4180 CSV (UTF-8, header row, formula-like cells prefixed with ')", "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}},
      "pathPlatform": {"name": "platform", "in": "path", "required": true, "schema": {"type": "string", "enum": {platform_names}}},
      "pathLogin": {"name": "login", "in": "path", "required": true, "description": "twitch: the login; kick: the slug; youtube: the handle with or without @ (@LofiGirl, lofigirl; any case) or the channel id (UC and 22 characters)", "schema": {"type": "string", "minLength": 1, "maxLength": 100}},
      "window": {"name": "window", "in": "query", "description": "not with from/to (default: 24h)", "schema": {"type": "string", "enum": ["1h", "24h", "7d", "30d", "90d"]}},
      "from": {"name": "from", "in": "query", "description": "ISO 8601 start (with to: at most 366 days)", "schema": {"type": "string", "format": "date-time"}},
      "to": {"name": "to", "in": "query", "description": "ISO 8601 end (default: now)", "schema": {"type": "string", "format": "date-time"}},
      "statsWindow": {"name": "window", "in": "query", "description": "not with from/to; below 7 days counted in hours (from the hour holding from), from 7 days on in whole UTC days", "schema": {"type": "string", "enum": ["1h", "24h", "7d", "30d", "90d"], "default": "7d"}},
      "statsLimit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
      "minAvgViewers": {"name": "min_avg_viewers", "in": "query", "description": "size threshold against noise", "schema": {"type": "integer", "minimum": 0, "default": 10}}
    },
    "schemas": {
      "Webhook": {"type": "object", "properties": {"id": {"type": "integer"}, "url": {"type": "string"}, "format": {"type": "string", "enum": ["json", "slack", "discord", "email"]}, "events": {"type": "array", "items": {"type": "string"}}, "filters": {"type": "object"}, "created_at": {"type": "string", "format": "date-time"}, "disabled_at": {"type": ["string", "null"], "format": "date-time"}, "disabled_reason": {"type": ["string", "null"]}, "key_id": {"type": "integer"}, "secret": {"type": "string", "description": "whsec_ and base64: in the answer to POST only"}}},
      "Key": {"type": "object", "properties": {"id": {"type": "integer"}, "prefix": {"type": "string", "description": "ssk_ and the key's first 8 characters"}, "name": {"type": "string"}, "scope": {"type": "string", "enum": ["read", "export", "webhooks", "admin"]}, "requests_per_minute": {"type": ["integer", "null"]}, "state": {"type": "string", "enum": ["valid", "expired", "revoked"]}, "created_at": {"type": "string", "format": "date-time"}, "expires_at": {"type": ["string", "null"], "format": "date-time"}, "revoked_at": {"type": ["string", "null"], "format": "date-time"}, "requests": {"type": "integer"}, "bytes_exported": {"type": "integer"}, "last_used_at": {"type": ["string", "null"], "format": "date-time"}}},
      "Error": {"type": "object", "properties": {"error": {"type": "object", "required": ["status", "code", "message"], "properties": {"status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}, "parameter": {"type": "string"}}}}},
      "LiveStream": {"type": "object", "properties": {"platform": {"type": "string"}, "channel_id": {"type": "string"}, "username": {"type": "string"}, "display_name": {"type": "string"}, "title": {"type": "string"}, "game_id": {"type": "string"}, "game_name": {"type": "string"}, "viewer_count": {"type": ["integer", "null"], "description": "null: hidden by the channel's owner (YouTube), unknown rather than 0"}, "language": {"type": "string"}, "started_at": {"type": "string", "format": "date-time"}, "collected_at": {"type": "string", "format": "date-time"}, "thumbnail_url": {"type": "string"}, "stream_url": {"type": "string"}}},
      "PlatformStats": {"type": "object", "properties": {"platform": {"type": "string", "enum": {platform_names}}, "coverage": {"type": "string", "enum": {coverage_names}, "description": "all_live_streams: every stream live at each sweep (twitch, kick); watchlist: only the channels on Streamscope's watchlist (youtube)"}, "watched_channels": {"type": ["integer", "null"], "description": "channels on the watchlist; null for platforms swept whole, and without the watchlist table"}, "hours_watched": {"type": "number"}, "share_pct": {"type": "number"}, "avg_viewers": {"type": "number"}, "peak_viewers": {"type": "integer"}, "avg_channels": {"type": "number"}, "peak_channels": {"type": "integer"}}},
      "Sweeps": {"type": "array", "items": {"type": "object", "properties": {"platform": {"type": "string"}, "sweep_id": {"type": "integer"}, "collected_at": {"type": "string", "format": "date-time"}, "status": {"type": "string"}, "streams": {"type": "integer"}}}}
    },
    "responses": {
      "Unauthorized": {"description": "no API key, or one that is unknown, revoked or expired (unauthorized; WWW-Authenticate: Bearer)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Forbidden": {"description": "the key's scope does not cover this route (forbidden)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "BadRequest": {"description": "a parameter is invalid or unknown (invalid_parameter, naming it), or the path is not UTF-8 text (invalid_path)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Unavailable": {"description": "the database cannot be reached or timed out (database_unavailable), or every connection is busy with a full queue (database_busy, with Retry-After)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    }
  },
  "paths": {
    "/health": {"get": {"summary": "Is the API healthy: database, schema version, age of the last complete sweep per platform, uptime", "responses": {"200": {"description": "healthy"}, "503": {"description": "the database does not answer"}}}},
    "/live/top": {"get": {"summary": "The latest complete sweep's streams, most viewers first", "parameters": [
      {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
      {"$ref": "#/components/parameters/platform"}, {"$ref": "#/components/parameters/game"}, {"$ref": "#/components/parameters/language"}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "streams", "content": {"application/json": {"schema": {"type": "object", "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/LiveStream"}}, "meta": {"type": "object", "properties": {"sweeps": {"$ref": "#/components/schemas/Sweeps"}}}}}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/live/streams": {"get": {"summary": "Live streams filtered, most viewers first, a page at a time (pass next_cursor as cursor)", "parameters": [
      {"$ref": "#/components/parameters/platform"}, {"$ref": "#/components/parameters/game"}, {"$ref": "#/components/parameters/language"},
      {"name": "min_viewers", "in": "query", "description": "at least this many viewers; leaves hidden (null) counts out", "schema": {"type": "integer", "minimum": 0}},
      {"name": "q", "in": "query", "description": "text in the title (case-insensitive)", "schema": {"type": "string", "maxLength": 200}},
      {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}},
      {"name": "cursor", "in": "query", "description": "next_cursor of the previous page", "schema": {"type": "string"}}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "a page of streams", "content": {"application/json": {"schema": {"type": "object", "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/LiveStream"}}, "next_cursor": {"type": ["string", "null"]}, "meta": {"type": "object"}}}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/live/summary": {"get": {"summary": "Totals now: live channels, viewers, per platform, top languages and games. viewers adds the counts shown; hidden_viewer_counts (in total and per platform) counts the live channels that hide theirs; a group whose every count is hidden has viewers null", "parameters": [{"$ref": "#/components/parameters/platform"}],
      "responses": {"200": {"description": "totals"}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/live/events": {"get": {"summary": "The live feed: every sweep's changes as Server-Sent Events (text/event-stream), as they are stored. Each event: id: (monotonic; resume after it with the Last-Event-ID header or last_event_id=), event: (its type), data: {\"id\", \"type\", \"timestamp\" (the sweep's time), \"sweep_id\", \"platform\", \"data\"}. Types: stream.live, stream.ended, stream.changed (title or game; data.previous), top.entered and top.left (the platform's top list or a game's; data.list, data.rank or data.previous_rank), viewers.crossed (data.threshold). data.stream is the stream as /live/streams shows it. A comment every 15 s keeps the connection open. An id older than what is kept, or unknown, gets an event named reset whose data holds the live streams the filter lets through, then the feed goes on. A client that falls too far behind gets an event named cutoff (data.reason too_slow) and may resume; so does every client when the server stops (server_stopping).", "parameters": [
      {"name": "platform", "in": "query", "description": "comma list of platforms", "schema": {"type": "string"}},
      {"name": "type", "in": "query", "description": "comma list of event types", "schema": {"type": "string"}},
      {"name": "channel", "in": "query", "description": "comma list of usernames (any case)", "schema": {"type": "string"}},
      {"name": "game", "in": "query", "description": "comma list of game ids or names (any case)", "schema": {"type": "string"}},
      {"name": "min_viewers", "in": "query", "description": "only events of streams (or games) with at least this many viewers; hidden counts do not qualify", "schema": {"type": "integer", "minimum": 0}},
      {"name": "last_event_id", "in": "query", "description": "resume after this event id (the Last-Event-ID header wins)", "schema": {"type": "integer", "minimum": 0}}],
      "responses": {"200": {"description": "the event stream", "content": {"text/event-stream": {"schema": {"type": "string"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "429": {"description": "this key (or address, without a key) has as many feeds open as it may (too_many_feeds)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}, "503": {"description": "the server holds as many feeds as it may (too_many_feeds)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
    "/live/ws": {"get": {"summary": "The live feed over a WebSocket: the same filters, resume (last_event_id=) and events as /live/events, each event one text message (its JSON); a reset or a cutoff is a message {\"type\": \"reset\"|\"cutoff\", \"id\", \"data\"} (a cutoff then closes with 1013, or 1001 when the server stops). The server pings an idle WebSocket.", "parameters": [
      {"name": "platform", "in": "query", "schema": {"type": "string"}}, {"name": "type", "in": "query", "schema": {"type": "string"}},
      {"name": "channel", "in": "query", "schema": {"type": "string"}}, {"name": "game", "in": "query", "schema": {"type": "string"}},
      {"name": "min_viewers", "in": "query", "schema": {"type": "integer", "minimum": 0}}, {"name": "last_event_id", "in": "query", "schema": {"type": "integer", "minimum": 0}}],
      "responses": {"101": {"description": "the WebSocket"}, "400": {"$ref": "#/components/responses/BadRequest"}, "426": {"description": "not a WebSocket upgrade (websocket_required)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}, "429": {"description": "too many feeds for this key or address (too_many_feeds)"}, "503": {"description": "too many feeds on the server (too_many_feeds)"}}}},
    "/search/channels": {"get": {"summary": "Channels by login or display name: prefix and fuzzy match, best first, with live status", "parameters": [
      {"name": "q", "in": "query", "required": true, "schema": {"type": "string", "minLength": 1, "maxLength": 100}},
      {"$ref": "#/components/parameters/platform"},
      {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "channels"}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/search/games": {"get": {"summary": "Games by name: prefix and fuzzy match, best first", "parameters": [
      {"name": "q", "in": "query", "required": true, "schema": {"type": "string", "minLength": 1, "maxLength": 100}},
      {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "games"}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/channels/{platform}/{login}": {"get": {"summary": "A channel: profile, current stream if live, and a summary for the window (average and peak viewers, broadcasts, hours streamed, hours watched; null when every viewer count was hidden). On youtube, login is the handle (with or without @) or the channel id", "parameters": [
      {"$ref": "#/components/parameters/pathPlatform"}, {"$ref": "#/components/parameters/pathLogin"},
      {"$ref": "#/components/parameters/window"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}],
      "responses": {"200": {"description": "the channel"}, "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"description": "no such channel has been seen"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/channels/{platform}/{login}/history": {"get": {"summary": "The channel's viewers over time (raw snapshots for up to 7 days, or hourly/daily average and peak), with the title and game changes", "parameters": [
      {"$ref": "#/components/parameters/pathPlatform"}, {"$ref": "#/components/parameters/pathLogin"},
      {"$ref": "#/components/parameters/window"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"},
      {"name": "resolution", "in": "query", "schema": {"type": "string", "enum": ["raw", "1h", "1d"], "default": "raw"}}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "the series: data (points), changes, meta"}, "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"description": "no such channel has been seen"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/channels/{platform}/{login}/streams": {"get": {"summary": "The channel's broadcasts, newest first: start, end, duration, average and peak viewers, hours watched, games played", "parameters": [
      {"$ref": "#/components/parameters/pathPlatform"}, {"$ref": "#/components/parameters/pathLogin"},
      {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 20}}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "broadcasts"}, "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"description": "no such channel has been seen"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/stats/summary": {"get": {"summary": "Totals for the window from the rollups: channels live, hours watched, hours streamed, average and peak concurrent viewers, peak channels", "parameters": [
      {"$ref": "#/components/parameters/statsWindow"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}, {"$ref": "#/components/parameters/platform"}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "{data: {...}, meta: {from, to, resolution}}"}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/stats/games/top": {"get": {"summary": "Games ranked over the window: hours watched, average viewers (concurrent, over the time covered), peak viewers, average and peak channels", "parameters": [
      {"$ref": "#/components/parameters/statsWindow"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}, {"$ref": "#/components/parameters/platform"},
      {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["hours_watched", "avg_viewers", "peak_viewers", "channels"], "default": "hours_watched"}},
      {"$ref": "#/components/parameters/statsLimit"}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "games"}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/stats/games/trending": {"get": {"summary": "Games whose average viewers grew most against the previous window of the same length (growth_pct); games below min_avg_viewers now, or absent before, are left out", "parameters": [
      {"$ref": "#/components/parameters/statsWindow"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}, {"$ref": "#/components/parameters/platform"},
      {"$ref": "#/components/parameters/minAvgViewers"}, {"$ref": "#/components/parameters/statsLimit"}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "games with prev_avg_viewers and growth_pct"}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/stats/channels/top": {"get": {"summary": "Channels ranked over the window: hours watched, hours streamed, average viewers (hours watched / hours streamed with a known viewer count; null when every count was hidden), peak viewers (null likewise), followers; narrowed to a game or a language. Channel figures cover complete hours (the current one joins when it ends)", "parameters": [
      {"$ref": "#/components/parameters/statsWindow"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}, {"$ref": "#/components/parameters/platform"},
      {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["hours_watched", "avg_viewers", "peak_viewers", "hours_streamed", "followers"], "default": "hours_watched"}},
      {"$ref": "#/components/parameters/game"}, {"$ref": "#/components/parameters/language"}, {"$ref": "#/components/parameters/statsLimit"}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "channels"}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/stats/channels/rising": {"get": {"summary": "Channels whose average viewers grew most against their own previous window (growth_pct), with follower_gain; both windows need an hour streamed with a known viewer count and min_avg_viewers now. Complete hours only, as channels/top", "parameters": [
      {"$ref": "#/components/parameters/statsWindow"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}, {"$ref": "#/components/parameters/platform"},
      {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["avg_viewers", "followers"], "default": "avg_viewers"}},
      {"$ref": "#/components/parameters/minAvgViewers"}, {"$ref": "#/components/parameters/statsLimit"}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "channels with prev_avg_viewers, growth_pct, follower_gain"}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/stats/languages": {"get": {"summary": "Languages over the window: hours watched and share, average and peak viewers, average and peak channels", "parameters": [
      {"$ref": "#/components/parameters/statsWindow"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}, {"$ref": "#/components/parameters/platform"}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "languages"}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/stats/platforms": {"get": {"summary": "Platforms compared over the window: what each one's figures cover (coverage, watched_channels), hours watched and share, average and peak viewers, average and peak channels", "parameters": [
      {"$ref": "#/components/parameters/statsWindow"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "platforms", "content": {"application/json": {"schema": {"type": "object", "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/PlatformStats"}}, "meta": {"type": "object"}}}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/stats/heatmap": {"get": {"summary": "Average concurrent viewers by weekday (ISO, 1 = Monday) and hour in tz, for all streams, a game or a channel (a channel's from complete hours): when to stream", "parameters": [
      {"$ref": "#/components/parameters/statsWindow"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}, {"$ref": "#/components/parameters/platform"},
      {"$ref": "#/components/parameters/game"}, {"name": "channel", "in": "query", "description": "a channel's login (not with game)", "schema": {"type": "string"}},
      {"name": "tz", "in": "query", "description": "IANA time zone", "schema": {"type": "string", "default": "UTC"}}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "cells: weekday, hour, avg_viewers, hours_sampled"}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/games/{platform}/{id}/history": {"get": {"summary": "A game's hours watched, average and peak viewers, average and peak channels per hour or day", "parameters": [
      {"$ref": "#/components/parameters/pathPlatform"}, {"name": "id", "in": "path", "required": true, "description": "the platform's game id", "schema": {"type": "string"}},
      {"$ref": "#/components/parameters/statsWindow"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"},
      {"name": "resolution", "in": "query", "description": "default: 1h below 7 days, else 1d", "schema": {"type": "string", "enum": ["1h", "1d"]}}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "the series"}, "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"description": "no such game has been seen"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/export/snapshots": {"get": {"summary": "Raw snapshots of a time window as CSV, oldest first, streamed (chunked, gzip when accepted): collected_at, platform, channel_id, username, display_name, stream_id, started_at, viewer_count (empty when hidden), game_id, game_name, title, language (title and game as they were at the time). At most API_MAX_EXPORTS (4) exports run at once on a server, API_EXPORTS_PER_KEY (2) of one key; a key exports at most its rows a day (Export-Quota-Limit, Export-Quota-Remaining): an export that reaches the quota is cut off. A client reading slower than API_EXPORT_MIN_RATE_KB is cut off.", "parameters": [
      {"$ref": "#/components/parameters/window"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"},
      {"$ref": "#/components/parameters/platform"},
      {"name": "channel", "in": "query", "description": "a channel's login: only its broadcasts", "schema": {"type": "string"}},
      {"$ref": "#/components/parameters/game"},
      {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["csv"], "default": "csv"}}],
      "responses": {"200": {"description": "CSV (RFC 4180, UTF-8, header row)", "content": {"text/csv": {}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"description": "no channel with this login has broadcast"}, "429": {"description": "too_many_exports: the key's exports are running already; export_quota_exceeded: the key's rows for today are used up (Retry-After: until midnight UTC)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}, "503": {"description": "the database cannot be reached, or API_MAX_EXPORTS exports are running (Retry-After)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
    "/metrics": {"get": {"summary": "Prometheus text: requests by route and status, latency histogram by route, database pool use", "responses": {"200": {"description": "text/plain; version=0.0.4"}}}},
    "/admin/keys": {
      "get": {"summary": "Every API key with its use, newest first (admin scope; not served with AUTH_MODE=off: use streamscope-api keys list)", "responses": {"200": {"description": "{data: [Key]}", "content": {"application/json": {"schema": {"type": "object", "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Key"}}}}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "503": {"$ref": "#/components/responses/Unavailable"}}},
      "post": {"summary": "Create a key; the answer holds it (data.key), once: only its hash is stored (admin scope)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name", "scope"], "properties": {"name": {"type": "string", "maxLength": 200}, "scope": {"type": "string", "enum": ["read", "export", "webhooks", "admin"]}, "expires": {"type": "string", "description": "a date (2027-01-01, at 00:00 UTC) or an ISO 8601 time; absent: never"}, "rate": {"type": "integer", "minimum": 1, "maximum": 1000000, "description": "requests a minute; absent: API_KEY_RATE"}}}}}},
        "responses": {"201": {"description": "{data: Key with key}", "content": {"application/json": {"schema": {"type": "object", "properties": {"data": {"$ref": "#/components/schemas/Key"}}}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "503": {"$ref": "#/components/responses/Unavailable"}}}
    },
    "/admin/keys/{key}": {"delete": {"summary": "Revoke a key, by id or prefix: it stops working on every server within seconds (admin scope)", "parameters": [{"name": "key", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "{data: Key}"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"description": "no key has this id or prefix"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/webhooks": {
      "post": {"summary": "Subscribe a URL to events (webhooks scope; not served with AUTH_MODE=off). Deliveries are signed (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature) and retried for a day; the answer holds the secret, once", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["url"], "properties": {"url": {"type": "string", "description": "https URL (http and private addresses only with WEBHOOK_ALLOW_PRIVATE_TARGETS); mailto:address for format email"}, "events": {"type": "array", "items": {"type": "string"}, "description": "event types; absent or empty: all"}, "filters": {"type": "object", "properties": {"platform": {"type": "array", "items": {"type": "string"}}, "channel": {"type": "array", "items": {"type": "string"}}, "game": {"type": "array", "items": {"type": "string"}}, "min_viewers": {"type": "integer", "minimum": 0}}}, "format": {"type": "string", "enum": ["json", "slack", "discord", "email"], "default": "json"}}}}}},
        "responses": {"201": {"description": "{data: Webhook with secret}", "content": {"application/json": {"schema": {"type": "object", "properties": {"data": {"$ref": "#/components/schemas/Webhook"}}}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "503": {"$ref": "#/components/responses/Unavailable"}}},
      "get": {"summary": "The key's subscriptions (an admin key's: every one), without secrets", "responses": {"200": {"description": "{data: [Webhook]}", "content": {"application/json": {"schema": {"type": "object", "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Webhook"}}}}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "503": {"$ref": "#/components/responses/Unavailable"}}}
    },
    "/webhooks/{id}": {
      "get": {"summary": "One subscription of the key", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "{data: Webhook}"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"description": "no subscription of this key has this id"}, "503": {"$ref": "#/components/responses/Unavailable"}}},
      "delete": {"summary": "Delete a subscription with its deliveries", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "{data: {id, deleted}}"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"description": "no subscription of this key has this id"}, "503": {"$ref": "#/components/responses/Unavailable"}}}
    },
    "/webhooks/{id}/deliveries": {"get": {"summary": "The subscription's deliveries, newest first, each with its attempts", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}}], "responses": {"200": {"description": "{data: [{id, event_id, webhook_id, event_type, state: pending|delivered|failed, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at, attempt_log: [{at, status, error, duration_ms}]}]}"}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"description": "no subscription of this key has this id"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/webhooks/{id}/deliveries/{delivery}/replay": {"post": {"summary": "Send a delivered or failed delivery again (attempts start over); a disabled subscription is enabled again", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}, {"name": "delivery", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"202": {"description": "{data: {id, state: pending}}"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"description": "no such subscription of this key, or no delivered or failed delivery with this id"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}},
    "/docs": {"get": {"summary": "This document as a page", "responses": {"200": {"description": "HTML"}}}}
  }
})json";

// Renders the document in the browser from /openapi.json on the same host; no other request.
constexpr std::string_view docs_page = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Streamscope API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
code{background:#f3f3f3;padding:0 .2rem}h2{margin-top:2rem}table{border-collapse:collapse}
td,th{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:left;vertical-align:top}</style>
</head><body><h1>Streamscope API</h1><p id="intro"></p><div id="routes">Loading /openapi.json…</div>
<script>
fetch('openapi.json').then(r => r.json()).then(doc => {
  const esc = s => String(s ?? '').replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
  const resolve = p => p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p;
  document.getElementById('intro').textContent = doc.info.description;
  let html = '';
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) {
    html += `<h2><code>${method.toUpperCase()} ${esc(path)}</code></h2><p>${esc(op.summary)}</p>`;
    const params = (op.parameters || []).map(resolve);
    if (params.length) html += '<table><tr><th>parameter</th><th>schema</th><th>about</th></tr>' +
      params.map(p => `<tr><td><code>${esc(p.name)}</code>${p.required ? ' (required)' : ''}</td>` +
        `<td><code>${esc(JSON.stringify(p.schema))}</code></td><td>${esc(p.description)}</td></tr>`).join('') + '</table>';
    html += '<p>Responses: ' + Object.entries(op.responses).map(([c, r]) => `<code>${c}</code>`).join(', ') + '</p>';
  }
  document.getElementById('routes').innerHTML = html;
});
</script></body></html>
)html";

// `names` as a JSON array of strings.
template <typename Names>
std::string json_list(const Names& names) {
    std::string out = "[";
    for (const std::string_view name : names) {
        if (out.size() > 1) {
            out += ", ";
        }
        out += ::streamscope::json::quote(name); // not boost::json (aliased in unity batches)
    }
    out += "]";
    return out;
}

// `text` with every `hole` replaced by `filling`.
std::string fill_holes(std::string_view text, std::string_view hole, std::string_view filling) {
    std::string out;
    for (std::size_t at = 0;;) {
        const std::size_t found = text.find(hole, at);
        out.append(text.substr(at, found - at));
        if (found == std::string_view::npos) {
            return out;
        }
        out += filling;
        at = found + hole.size();
    }
}

// The document with the platforms' names and coverages filled in from the one list of
// platforms (common/model/platform.hpp).
std::string with_platforms(std::string_view text) {
    const std::array coverages{model::to_string(model::platform_coverage::all_live_streams),
                               model::to_string(model::platform_coverage::watchlist)};
    return fill_holes(fill_holes(text, "{platform_names}", json_list(platform_names)),
                      "{coverage_names}", json_list(coverages));
}

const std::string filled_document = with_platforms(document);

} // namespace

std::string_view openapi_document() {
    return filled_document;
}

http::handler openapi_route() {
    return [](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        co_return http::json_response(ctx.req, filled_document);
    };
}

http::handler docs_route() {
    return [](http::request_context& ctx) -> boost::asio::awaitable<http::response> {
        http::response res = http::json_response(ctx.req, std::string(docs_page));
        res.set(boost::beast::http::field::content_type, "text/html; charset=utf-8");
        co_return res;
    };
}

} // namespace streamscope::api

#pragma once
// Google's error answers, as the Data API sends them with a non-2xx status:
//   {"error": {"code": 403, "message": "..", "errors": [{"reason": "quotaExceeded",
//    "domain": "youtube.quota", "message": ".."}], "status": "PERMISSION_DENIED",
//    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
//    "reason": "API_KEY_INVALID", ..}]}}
// classified into what the collector does about them. Pure: no I/O.

#include <string>
#include <string_view>

namespace streamscope::youtube {

enum class google_error {
    // The day's quota is spent (quotaExceeded, dailyLimitExceeded): no call of that bucket
    // succeeds before the quota day turns (common/time/pacific_day.hpp). Retrying only burns
    // requests.
    quota_exceeded,
    // A short-term limit (rateLimitExceeded, userRateLimitExceeded, RATE_LIMIT_EXCEEDED, or a
    // 429): retry after a pause.
    rate_limited,
    // The key cannot be used until someone acts: invalid or expired (400 badRequest with the
    // API_KEY_INVALID detail, keyInvalid, keyExpired), restricted (an API_KEY_* detail such as
    // API_KEY_HTTP_REFERRER_BLOCKED or API_KEY_SERVICE_BLOCKED, ipRefererBlocked), the API not
    // enabled for its project (accessNotConfigured, SERVICE_DISABLED), or a 401. A 403
    // "forbidden" is this only with such a detail: alone, it is `other`.
    key_invalid,
    not_found,    // notFound, or any reason ending in NotFound (playlistNotFound), or a 404
    bad_request,  // our request is wrong (badRequest, invalid*, required, ..), or another 400
    server_error, // backendError, internalError, or a 5xx
    other,
};

struct google_error_info {
    google_error kind = google_error::other;
    // The reason that decided `kind`, else the first one the body gives (its errors' reasons,
    // then its details', then its status); "" when the body says none.
    std::string reason;
    // error.message without HTML tags (the quota message holds an <a> element), at most 300
    // bytes, cut at a UTF-8 character boundary; "" when the body is not Google's JSON shape.
    std::string message;
};

// What a non-2xx answer means. Never throws: a body that is not JSON, or not Google's shape, is
// classified by the HTTP status alone (and should memory run out on the way, so is any).
google_error_info classify_error(unsigned http_status, std::string_view body) noexcept;

// "quota_exceeded", .. for log lines and metric labels.
std::string_view to_string(google_error kind);

} // namespace streamscope::youtube

#pragma once
// The YouTube Data API's quota as Google keeps it since June 2026 (platform-apis.md §3.2): per
// API key (one key = one project here), a shared bucket of units per day for every method but
// search.list, and a bucket of its own for search.list counted in calls. Every request that
// reaches a method costs at least one unit, an invalid one too; a request refused for quota
// costs nothing. Both buckets refill at midnight Pacific Time of the clock the caller passes
// (the mock's possibly scaled clock). Pure logic; not thread-safe.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/time/timestamp.hpp"

namespace streamscope::platform_mock::youtube {

struct quota_settings {
    std::uint64_t daily_units = 10'000;     // the shared bucket
    std::uint64_t search_daily_calls = 100; // search.list's own bucket
};

enum class quota_bucket { shared, search };

class quota_ledger {
public:
    explicit quota_ledger(quota_settings settings) : settings_(settings) {}

    // Charges `cost` units of `bucket` to `key` for `method` ("videos.list"), unless that would
    // spend more than the bucket holds today: then nothing is charged and it returns false.
    bool charge(std::string_view key, std::string_view method, quota_bucket bucket,
                std::uint64_t cost, time::timestamp now);

    // Sets what `key` has spent today (a test's "the quota ran out at noon"); the per-method
    // counts stay as they are.
    void set_spent(std::string_view key, std::uint64_t units, std::uint64_t search_calls,
                   time::timestamp now);

    // Forgets every key's spending, as a new day would.
    void reset();

    // {"day":"2026-03-08","day_started_at":"...Z","next_reset_at":"...Z","daily_quota":10000,
    //  "search_daily_quota":100,"keys":{"KEY":{"units":12,"search_calls":1,
    //  "by_method":{"videos.list":10,...},"refused":0}}}
    boost::json::object describe(time::timestamp now);

private:
    struct account {
        std::uint64_t units = 0;
        std::uint64_t search_calls = 0;
        std::uint64_t refused = 0; // 403 quotaExceeded answers today
        std::map<std::string, std::uint64_t, std::less<>> by_method;
    };

    // Starts a new day when `now` is past the current one's end.
    void turn_day(time::timestamp now);
    account& account_of(std::string_view key);

    quota_settings settings_;
    time::timestamp day_ends_{}; // the first call starts the first day
    std::map<std::string, account, std::less<>> accounts_;
};

} // namespace streamscope::platform_mock::youtube

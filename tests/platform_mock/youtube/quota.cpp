#include "tests/platform_mock/youtube/quota.hpp"

#include <chrono>

#include "common/time/pacific_day.hpp"

namespace streamscope::platform_mock::youtube {

void quota_ledger::turn_day(time::timestamp now) {
    if (now < day_ends_) {
        return;
    }
    accounts_.clear();
    day_ends_ =
        std::chrono::time_point_cast<std::chrono::microseconds>(time::next_pacific_midnight(now));
}

quota_ledger::account& quota_ledger::account_of(std::string_view key) {
    auto it = accounts_.find(key);
    if (it == accounts_.end()) {
        it = accounts_.emplace(std::string(key), account{}).first;
    }
    return it->second;
}

bool quota_ledger::charge(std::string_view key, std::string_view method, quota_bucket bucket,
                          std::uint64_t cost, time::timestamp now) {
    turn_day(now);
    account& a = account_of(key);
    std::uint64_t& spent = bucket == quota_bucket::search ? a.search_calls : a.units;
    const std::uint64_t limit =
        bucket == quota_bucket::search ? settings_.search_daily_calls : settings_.daily_units;
    if (spent + cost > limit) {
        ++a.refused;
        return false;
    }
    spent += cost;
    auto m = a.by_method.find(method);
    if (m == a.by_method.end()) {
        a.by_method.emplace(std::string(method), cost);
    } else {
        m->second += cost;
    }
    return true;
}

void quota_ledger::set_spent(std::string_view key, std::uint64_t units, std::uint64_t search_calls,
                             time::timestamp now) {
    turn_day(now);
    account& a = account_of(key);
    a.units = units;
    a.search_calls = search_calls;
}

void quota_ledger::reset() {
    accounts_.clear();
}

boost::json::object quota_ledger::describe(time::timestamp now) {
    turn_day(now);
    const auto date = std::chrono::sys_days{time::pacific_day(now)};
    const std::string day = time::format_date(std::chrono::year_month_day{date});
    boost::json::object keys;
    for (const auto& [key, a] : accounts_) {
        boost::json::object by_method;
        for (const auto& [method, units] : a.by_method) {
            by_method[method] = units;
        }
        keys[key] = boost::json::object{
            {"units", a.units},
            {"search_calls", a.search_calls},
            {"by_method", std::move(by_method)},
            {"refused", a.refused},
        };
    }
    return boost::json::object{
        {"day", day},
        {"day_started_at",
         time::format_rfc3339(std::chrono::time_point_cast<std::chrono::microseconds>(
             time::pacific_midnight(date)))},
        {"next_reset_at", time::format_rfc3339(day_ends_)},
        {"daily_quota", settings_.daily_units},
        {"search_daily_quota", settings_.search_daily_calls},
        {"keys", std::move(keys)},
    };
}

} // namespace streamscope::platform_mock::youtube

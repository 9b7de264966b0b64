#include "common/time/sleep.hpp"

#include <algorithm>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace streamscope::time {

boost::asio::awaitable<void> sleep_for(std::chrono::steady_clock::duration d) {
    if (d <= std::chrono::steady_clock::duration::zero()) {
        co_return;
    }
    boost::asio::steady_timer timer{co_await boost::asio::this_coro::executor, d};
    co_await timer.async_wait(boost::asio::use_awaitable);
}

boost::asio::awaitable<void> sleep_for(std::chrono::steady_clock::duration d,
                                       const bool& stopping) {
    constexpr auto slice = std::chrono::milliseconds(100);
    const auto until = std::chrono::steady_clock::now() + d;
    for (auto now = std::chrono::steady_clock::now(); !stopping && now < until;
         now = std::chrono::steady_clock::now()) {
        co_await sleep_for(std::min<std::chrono::steady_clock::duration>(until - now, slice));
    }
}

} // namespace streamscope::time

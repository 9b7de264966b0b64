#include "common/time/sleep.hpp"

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

} // namespace streamscope::time

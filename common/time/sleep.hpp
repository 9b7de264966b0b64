#pragma once
// Waiting inside a coroutine without blocking the thread.

#include <chrono>

#include <boost/asio/awaitable.hpp>

namespace streamscope::time {

boost::asio::awaitable<void> sleep_for(std::chrono::steady_clock::duration d);

} // namespace streamscope::time

#pragma once
// Waiting inside a coroutine without blocking the thread.

#include <chrono>

#include <boost/asio/awaitable.hpp>

namespace streamscope::time {

boost::asio::awaitable<void> sleep_for(std::chrono::steady_clock::duration d);

// The same, but returns early (within a tenth of a second) once `stopping` turns true: a
// shutdown must not wait out a 60-second rate-limit reset. `stopping` is only written on the
// same io_context thread.
boost::asio::awaitable<void> sleep_for(std::chrono::steady_clock::duration d, const bool& stopping);

} // namespace streamscope::time

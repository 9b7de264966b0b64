#pragma once
// The completion token of our coroutines that look at an operation's error code themselves
// instead of catching it: `auto [ec, n] = co_await op(..., use_tuple);`.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace streamscope::http {

inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

} // namespace streamscope::http
